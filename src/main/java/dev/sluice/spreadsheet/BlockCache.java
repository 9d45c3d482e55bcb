package dev.sluice.spreadsheet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A few aligned blocks of a file, read with positional reads and kept least-recently-used: enough
 * for the interleaved lookups of a sheet (each row's own new strings near the end of the table, and
 * a few repeated ones near its start) to be served from memory. Memory: {@code slots × blockSize}.
 */
final class BlockCache {
    private final FileChannel file;
    private final int blockSize;
    private final long[] block;
    private final byte[][] data;
    private final int[] length;
    private final long[] used;
    private long clock;

    BlockCache(FileChannel file, int blockSize, int slots) {
        this.file = file;
        this.blockSize = blockSize;
        this.block = new long[slots];
        this.data = new byte[slots][];
        this.length = new int[slots];
        this.used = new long[slots];
        java.util.Arrays.fill(block, -1);
    }

    /** Copies {@code len} bytes at {@code pos} into {@code dst}; false when the file is shorter. */
    boolean copy(long pos, byte[] dst, int off, int len) throws IOException {
        while (len > 0) {
            long b = pos / blockSize;
            int slot = slot(b);
            int in = (int) (pos - b * blockSize);
            int n = Math.min(len, length[slot] - in);
            if (n <= 0) return false;
            System.arraycopy(data[slot], in, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
        return true;
    }

    private int slot(long b) throws IOException {
        int victim = 0;
        for (int i = 0; i < block.length; i++) {
            if (block[i] == b) {
                used[i] = ++clock;
                return i;
            }
            if (used[i] < used[victim]) victim = i;
        }
        if (data[victim] == null) data[victim] = new byte[blockSize];
        ByteBuffer buf = ByteBuffer.wrap(data[victim]);
        long at = b * blockSize;
        int total = 0;
        while (buf.hasRemaining()) {
            int r = file.read(buf, at + total);
            if (r < 0) break;
            total += r;
        }
        block[victim] = b;
        length[victim] = total;
        used[victim] = ++clock;
        return victim;
    }
}
