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
 * A lookup is two positional reads, through a small least-recently-used cache of each file's blocks
 * ({@link BlockCache}), so the usual order (each row's new strings near the end of the table, a few
 * repeated ones near its start) hits the cache. Memory is those blocks (2 MB), whatever the table's size; the files are read with plain reads, not mapped, so
 * they live in the page cache and not in the process's resident memory. Deleted on {@link #close}.
 */
public final class DiskSharedStrings implements SharedStrings {
    private static final int BLOCK = 64 * 1024, SLOTS = 16;
    private final Path dir;
    private final FileChannel offsets;
    private final FileChannel strings;
    private final int count;
    private final BlockCache offsetBlocks;
    private final BlockCache stringBlocks;
    private final byte[] pair = new byte[16];
    private byte[] text = new byte[256];

    private DiskSharedStrings(Path dir, int count) throws IOException {
        this.dir = dir;
        this.count = count;
        this.offsets = FileChannel.open(dir.resolve("offsets"), StandardOpenOption.READ);
        this.strings = FileChannel.open(dir.resolve("strings"), StandardOpenOption.READ);
        this.offsetBlocks = new BlockCache(offsets, BLOCK, SLOTS);
        this.stringBlocks = new BlockCache(strings, BLOCK, SLOTS);
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
            if (!offsetBlocks.copy((long) index * 8, pair, 0, 16)) throw new IOException("offsets are short");
            ByteBuffer b = ByteBuffer.wrap(pair);
            long from = b.getLong(0), to = b.getLong(8);
            int len = (int) (to - from);
            if (len == 0) return "";
            if (len > text.length) text = new byte[Math.max(len, text.length * 2)];
            if (!stringBlocks.copy(from, text, 0, len)) throw new IOException("strings are short");
            return new String(text, 0, len, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the spilled shared strings", e);
        }
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
