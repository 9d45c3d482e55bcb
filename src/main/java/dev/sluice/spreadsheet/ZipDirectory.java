package dev.sluice.spreadsheet;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ZIP's central directory, read from the end of the file with two ranged reads (the tail holding
 * the end record, then the directory itself), never the whole file. ZIP64 sizes and offsets are
 * understood. Memory: the directory (an XLSX has a few dozen entries; capped).
 */
public final class ZipDirectory {
    private static final int EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50, CEN = 0x02014b50;
    private static final int MAX_COMMENT = 0xFFFF;

    /** One file of the archive: where its local header starts and how it is stored. */
    public record Entry(String name, int method, int flags, long compressedSize, long size, long localHeaderOffset) {
        public boolean encrypted() {
            return (flags & 1) != 0;
        }
    }

    private final Map<String, Entry> entries;

    private ZipDirectory(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public Entry entry(String name) {
        return entries.get(name);
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public static ZipDirectory read(RangeSource source, XlsxLimits limits) {
        long size = source.size();
        if (size < 22) throw truncated();
        int tailLength = (int) Math.min(size, 22 + MAX_COMMENT + 20);
        long tailStart = size - tailLength;
        byte[] tail = source.read(tailStart, tailLength);
        int at = -1;
        for (int i = tail.length - 22; i >= 0; i--) {
            if (int32(tail, i) == EOCD) {
                at = i;
                break;
            }
        }
        if (at < 0) throw truncated();
        long entriesTotal = uint16(tail, at + 10);
        long cdSize = uint32(tail, at + 12);
        long cdOffset = uint32(tail, at + 16);
        if ((cdOffset == 0xFFFFFFFFL || cdSize == 0xFFFFFFFFL || entriesTotal == 0xFFFF)
                && at >= 20
                && int32(tail, at - 20) == ZIP64_LOCATOR) {
            long z64 = int64(tail, at - 20 + 8);
            byte[] rec = source.read(z64, 56);
            if (rec.length < 56 || int32(rec, 0) != ZIP64_EOCD) throw corrupt("its ZIP64 end record is damaged");
            entriesTotal = int64(rec, 32);
            cdSize = int64(rec, 40);
            cdOffset = int64(rec, 48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > size) throw truncated();
        if (cdSize > limits.maxDirectory())
            throw corrupt("its directory is larger than " + limits.maxDirectory() + " bytes");
        byte[] cd = source.read(cdOffset, (int) cdSize);
        if (cd.length < cdSize) throw truncated();
        Map<String, Entry> entries = new LinkedHashMap<>();
        int p = 0;
        while (p + 46 <= cd.length && int32(cd, p) == CEN) {
            int flags = uint16(cd, p + 8);
            int method = uint16(cd, p + 10);
            long csize = uint32(cd, p + 20);
            long usize = uint32(cd, p + 24);
            int nameLen = uint16(cd, p + 28), extraLen = uint16(cd, p + 30), commentLen = uint16(cd, p + 32);
            long local = uint32(cd, p + 42);
            if (p + 46 + nameLen + extraLen > cd.length) throw corrupt("its directory is damaged");
            String name = new String(cd, p + 46, nameLen, StandardCharsets.UTF_8);
            // ZIP64 extra field: the 32-bit values that are 0xFFFFFFFF follow, in this order.
            int e = p + 46 + nameLen, end = e + extraLen;
            while (e + 4 <= end) {
                int id = uint16(cd, e), len = uint16(cd, e + 2);
                if (id == 0x0001) {
                    int q = e + 4;
                    if (usize == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
                        usize = int64(cd, q);
                        q += 8;
                    }
                    if (csize == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
                        csize = int64(cd, q);
                        q += 8;
                    }
                    if (local == 0xFFFFFFFFL && q + 8 <= e + 4 + len) local = int64(cd, q);
                }
                e += 4 + len;
            }
            entries.put(name, new Entry(name, method, flags, csize, usize, local));
            p += 46 + nameLen + extraLen + commentLen;
        }
        if (entries.isEmpty() && entriesTotal > 0) throw corrupt("its directory is damaged");
        return new ZipDirectory(entries);
    }

    static XlsxException truncated() {
        return new XlsxException("The file is not a complete XLSX workbook: it was cut short or is damaged (its ZIP"
                + " directory is missing or points past the end of the file)");
    }

    static XlsxException corrupt(String why) {
        return new XlsxException("The XLSX workbook is damaged: " + why);
    }

    static int uint16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static int int32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    static long uint32(byte[] b, int i) {
        return int32(b, i) & 0xFFFFFFFFL;
    }

    static long int64(byte[] b, int i) {
        return uint32(b, i) | uint32(b, i + 4) << 32;
    }
}
