package dev.sluice.spreadsheet;

/** A1-style references: column letters ↔ 0-based column index. */
public final class CellRef {
    /** Excel's last column, XFD. */
    public static final int MAX_COLUMNS = 16_384;

    private CellRef() {}

    /** "C17" → 2; -1 when the reference has no column letters. */
    public static int column(String ref) {
        int col = 0, i = 0;
        while (i < ref.length()) {
            char ch = ref.charAt(i);
            if (ch >= 'A' && ch <= 'Z') col = col * 26 + (ch - 'A' + 1);
            else if (ch >= 'a' && ch <= 'z') col = col * 26 + (ch - 'a' + 1);
            else break;
            if (col > MAX_COLUMNS) return MAX_COLUMNS;
            i++;
        }
        return i == 0 ? -1 : col - 1;
    }

    /** 2 → "C". */
    public static String letters(int column) {
        StringBuilder s = new StringBuilder(3);
        for (int c = column + 1; c > 0; c = (c - 1) / 26) s.append((char) ('A' + (c - 1) % 26));
        return s.reverse().toString();
    }

    /** (2, 17) → "C17". */
    public static String of(int column, long row) {
        return letters(column) + row;
    }
}
