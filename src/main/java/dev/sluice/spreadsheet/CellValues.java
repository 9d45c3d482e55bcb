package dev.sluice.spreadsheet;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** A cell's stored value as the text an import reads: numbers in plain notation, dates in ISO 8601. */
final class CellValues {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final LocalDate EPOCH_1900 = LocalDate.of(1899, 12, 30), EPOCH_1904 = LocalDate.of(1904, 1, 1);
    private static final double MAX_SERIAL = 2_958_466; // 10000-01-01

    private CellValues() {}

    /**
     * "12.50", "1.2E3", "39.899999999999999" (17 digits, as Excel writes some) → "12.5", "1200",
     * "39.9": the shortest decimal that is the same double, without exponent or trailing zeros.
     */
    static String number(String v) {
        String s = v.strip();
        if (s.isEmpty()) return "";
        if (isSmallInteger(s)) return s.equals("-0") ? "0" : s;
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d) || Double.isInfinite(d)) return s;
            if (d == 0) return "0";
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static boolean isSmallInteger(String s) {
        int start = s.charAt(0) == '-' ? 1 : 0;
        if (s.length() - start == 0 || s.length() - start > 15) return false;
        if (s.length() - start > 1 && s.charAt(start) == '0') return false;
        for (int i = start; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** A date serial shown with a date or time format → "2024-03-01", "2024-03-01T09:30:00" or "09:30:00". */
    static String date(String v, CellStyles.Kind kind, boolean date1904) {
        double serial;
        try {
            serial = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            return v.strip();
        }
        if (!(serial >= 0) || serial >= MAX_SERIAL) return number(v);
        long seconds = Math.round(serial * 86_400);
        long days = seconds / 86_400;
        LocalTime time = LocalTime.ofSecondOfDay(seconds % 86_400);
        if (kind == CellStyles.Kind.TIME && serial < 1) return TIME.format(time);
        LocalDate date;
        if (date1904) date = EPOCH_1904.plusDays(days);
        else if (days >= 61) date = EPOCH_1900.plusDays(days);
        else if (days == 0) date = LocalDate.of(1899, 12, 31); // Excel's "1900-01-00"
        else date = EPOCH_1900.plusDays(days + 1); // before Excel's fictitious 1900-02-29
        return kind == CellStyles.Kind.DATE ? date.toString() : TIMESTAMP.format(LocalDateTime.of(date, time));
    }

    /** A {@code t="d"} cell's ISO 8601 value; a midnight timestamp is its date. */
    static String isoDate(String v) {
        String s = v.strip();
        if (s.endsWith("Z")) s = s.substring(0, s.length() - 1);
        if (s.endsWith("T00:00:00")) return s.substring(0, s.length() - 9);
        return s;
    }
}
