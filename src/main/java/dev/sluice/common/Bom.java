package dev.sluice.common;

/** The UTF-8 byte order mark some spreadsheet tools write before a CSV's first byte. */
public final class Bom {
    /** EF BB BF. */
    public static final int LENGTH = 3;

    private Bom() {}

    /** Whether the first {@code length} bytes of {@code bytes} start with the UTF-8 BOM. */
    public static boolean startsWith(byte[] bytes, int length) {
        return length >= LENGTH && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
    }

    /** How many leading bytes are a BOM: 3 or 0. */
    public static int length(byte[] bytes) {
        return startsWith(bytes, bytes.length) ? LENGTH : 0;
    }
}
