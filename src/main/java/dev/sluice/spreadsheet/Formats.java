package dev.sluice.spreadsheet;

import java.nio.charset.StandardCharsets;

/**
 * What a file's first bytes say it is. An XLSX is a ZIP ({@code PK\3\4}); a password-protected
 * workbook and an old binary {@code .xls} (BIFF) are both OLE2 compound files ({@code D0 CF 11 E0}),
 * told apart by the stream names in the compound file's first directory sector.
 */
public final class Formats {
    /** Bytes enough to tell the formats apart. */
    public static final int PROBE = 8;

    private static final byte[] OLE2 = {
        (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1
    };

    /** What the bytes look like. */
    public enum Kind {
        ZIP,
        OLE2,
        OTHER
    }

    private Formats() {}

    public static Kind sniff(byte[] head) {
        if (head.length >= 4
                && head[0] == 'P'
                && head[1] == 'K'
                && (head[2] == 3 || head[2] == 5)
                && (head[3] == 4 || head[3] == 6)) return Kind.ZIP;
        if (head.length >= OLE2.length) {
            boolean ole = true;
            for (int i = 0; i < OLE2.length; i++) ole &= head[i] == OLE2[i];
            if (ole) return Kind.OLE2;
        }
        return Kind.OTHER;
    }

    static void requireZip(byte[] head) {
        switch (sniff(head)) {
            case ZIP -> {}
            case OLE2 ->
                throw new XlsxException("The file is an OLE2 compound document, not an XLSX workbook: a"
                        + " password-protected workbook or an old .xls file; save it as .xlsx without a password");
            case OTHER -> throw new XlsxException("The file is not an XLSX workbook (it is not a ZIP archive)");
        }
    }

    /** The reason an OLE2 file can't be imported, as precisely as its first directory sector tells. */
    public static XlsxException ole2(RangeSource source) {
        try {
            byte[] header = source.read(0, 512);
            int sectorShift = ZipDirectory.uint16(header, 30);
            long sectorSize = 1L << Math.min(Math.max(sectorShift, 9), 12);
            long firstDir = ZipDirectory.uint32(header, 48);
            byte[] dir = source.read((firstDir + 1) * sectorSize, (int) sectorSize);
            String names = names(dir);
            if (names.contains("EncryptionInfo") || names.contains("EncryptedPackage")) return encrypted();
            if (names.contains("Workbook") || names.contains("Book")) {
                return new XlsxException("The file is an old Excel .xls (BIFF) workbook; Sluice reads .xlsx: save it as"
                        + " Excel Workbook (.xlsx) and upload it again");
            }
        } catch (RuntimeException ignored) {
            // fall back to the general answer
        }
        return new XlsxException("The file is an OLE2 compound document, not an XLSX workbook: a password-protected"
                + " workbook or an old .xls file; save it as .xlsx without a password");
    }

    static XlsxException encrypted() {
        return new XlsxException("The workbook is password-protected (encrypted); Sluice can't read it: save it"
                + " without a password and upload it again");
    }

    /** The UTF-16LE stream names of a directory sector's entries (128 bytes each, name first). */
    private static String names(byte[] dir) {
        StringBuilder out = new StringBuilder();
        for (int e = 0; e + 128 <= dir.length; e += 128) {
            int len = ZipDirectory.uint16(dir, e + 64);
            if (len >= 2 && len <= 64)
                out.append(new String(dir, e, len - 2, StandardCharsets.UTF_16LE))
                        .append('/');
        }
        return out.toString();
    }
}
