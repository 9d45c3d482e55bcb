package dev.sluice.common;

import java.util.List;

/** Writes CSV lines (RFC 4180 quoting, CRLF-free: LF line ends). */
public final class CsvText {
    private CsvText() {}

    public static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            String c = cells.get(i) == null ? "" : cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.append('\n').toString();
    }

    /**
     * One field as {@code line} would write it after {@link SpreadsheetSafe#neutralise}, appended without
     * intermediate strings (the export writes millions); null is an empty field.
     */
    public static StringBuilder appendNeutralised(StringBuilder sb, String v) {
        if (v == null) return sb;
        boolean risky = SpreadsheetSafe.risky(v);
        boolean quote = false;
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) return risky ? sb.append('\'').append(v) : sb.append(v);
        sb.append('"');
        if (risky) sb.append('\'');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') sb.append('"');
            sb.append(c);
        }
        return sb.append('"');
    }
}
