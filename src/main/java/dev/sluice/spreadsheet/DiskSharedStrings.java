package dev.sluice.spreadsheet;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.xml.stream.XMLStreamReader;

/**
 * The shared-strings table spilled to two temporary files while it streams in: the strings'
 * UTF-8 bytes one after another, and an index of 8-byte offsets (item i spans offsets i to i+1).
 * A lookup is two positional reads, through one cached block of each file, so the usual order
 * (cells referring to strings in roughly the order they were added) mostly hits the cache. Memory
 * is the two blocks, whatever the table's size; the files are read with plain reads, not mapped, so
 * they live in the page cache and not in the process's resident memory. Deleted on {@link #close}.
 */
public final class DiskSharedStrings implements SharedStrings {
    private static final int OFFSET_BLOCK = 64 * 1024, STRING_BLOCK = 256 * 1024;
    private final Path dir;
    private final FileChannel offsets;
    private final FileChannel strings;
    private final int count;
    private final ByteBuffer offsetBlock = ByteBuffer.allocate(OFFSET_BLOCK);
    private long offsetBlockStart = -1;
    private final ByteBuffer stringBlock = ByteBuffer.allocate(STRING_BLOCK);
    private long stringBlockStart = -1;
    private int stringBlockLength;

    private DiskSharedStrings(Path dir, int count) throws IOException {
        this.dir = dir;
        this.count = count;
        this.offsets = FileChannel.open(dir.resolve("offsets"), StandardOpenOption.READ);
        this.strings = FileChannel.open(dir.resolve("strings"), StandardOpenOption.READ);
    }

    /** Streams the table from {@code in} to disk (blocking: a worker thread). */
    public static DiskSharedStrings build(InputStream in, String part, Path tempDir) {
        Path dir = null;
        try (in) {
            dir = tempDir == null
                    ? Files.createTempDirectory("sluice-sst")
                    : Files.createTempDirectory(tempDir, "sluice-sst");
            int count = 0;
            XMLStreamReader x = Xml.open(in, part);
            try (OutputStream s = new BufferedOutputStream(Files.newOutputStream(dir.resolve("strings")), 1 << 16);
                    DataOutputStream o = new DataOutputStream(
                            new BufferedOutputStream(Files.newOutputStream(dir.resolve("offsets")), 1 << 16))) {
                StringItems items = new StringItems(x, part);
                long at = 0;
                o.writeLong(0);
                for (String t = items.next(); t != null; t = items.next()) {
                    byte[] b = t.getBytes(StandardCharsets.UTF_8);
                    s.write(b);
                    at += b.length;
                    o.writeLong(at);
                    count++;
                }
            } finally {
                Xml.close(x);
            }
            return new DiskSharedStrings(dir, count);
        } catch (IOException e) {
            delete(dir);
            throw new UncheckedIOException("Could not spill the shared strings to disk", e);
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    public int count() {
        return count;
    }

    @Override
    public String get(int index) {
        if (index < 0 || index >= count) return null;
        try {
            long from = offset(index), to = offset(index + 1);
            int len = (int) (to - from);
            if (len == 0) return "";
            if (len > STRING_BLOCK / 2) {
                ByteBuffer b = ByteBuffer.allocate(len);
                readFully(strings, b, from);
                return new String(b.array(), 0, len, StandardCharsets.UTF_8);
            }
            if (stringBlockStart < 0 || from < stringBlockStart || to > stringBlockStart + stringBlockLength) {
                stringBlock.clear();
                stringBlockStart = from;
                stringBlockLength = readUpTo(strings, stringBlock, from);
            }
            return new String(stringBlock.array(), (int) (from - stringBlockStart), len, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the spilled shared strings", e);
        }
    }

    private long offset(int i) throws IOException {
        long pos = (long) i * 8;
        if (offsetBlockStart < 0 || pos < offsetBlockStart || pos + 8 > offsetBlockStart + offsetBlock.limit()) {
            offsetBlock.clear();
            offsetBlockStart = pos - pos % OFFSET_BLOCK;
            readUpTo(offsets, offsetBlock, offsetBlockStart);
            offsetBlock.flip();
        }
        return offsetBlock.getLong((int) (pos - offsetBlockStart));
    }

    private static int readUpTo(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        if (readUpTo(ch, b, pos) < b.capacity()) throw new IOException("spilled shared strings are short");
    }

    @Override
    public void close() {
        try {
            offsets.close();
            strings.close();
        } catch (IOException ignored) {
            // deleting them below is what matters
        }
        delete(dir);
    }

    private static void delete(Path dir) {
        if (dir == null) return;
        try {
            Files.deleteIfExists(dir.resolve("offsets"));
            Files.deleteIfExists(dir.resolve("strings"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }
}
