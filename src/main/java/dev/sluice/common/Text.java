package dev.sluice.common;

/** Small string helpers shared by features. */
public final class Text {
    private Text() {}

    /** At most {@code max} characters (the start of the string); null stays null. Fits bounded columns. */
    public static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** At most {@code max} characters; when cut, the last ones are {@code marker} so readers see it was cut. */
    public static String truncate(String s, int max, String marker) {
        return s == null || s.length() <= max ? s : s.substring(0, max - marker.length()) + marker;
    }
}
