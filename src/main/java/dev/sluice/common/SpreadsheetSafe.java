package dev.sluice.common;

/**
 * Guards exported cells against spreadsheet formula injection: a text cell starting with
 * {@code = + - @}, tab or CR gets a leading apostrophe, which spreadsheets read as "this is text".
 * Imports remove exactly that apostrophe again, so an exported file re-imports unchanged.
 */
public final class SpreadsheetSafe {
    private SpreadsheetSafe() {}

    public static boolean risky(String s) {
        if (s == null || s.isEmpty()) return false;
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    public static String neutralise(String s) {
        return risky(s) ? "'" + s : s;
    }

    /** Undoes {@link #neutralise}: an apostrophe followed by a risky character is dropped. */
    public static String restore(String s) {
        return s != null && s.length() > 1 && s.charAt(0) == '\'' && risky(s.substring(1)) ? s.substring(1) : s;
    }
}
