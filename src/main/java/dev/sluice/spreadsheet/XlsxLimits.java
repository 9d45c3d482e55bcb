package dev.sluice.spreadsheet;

import java.nio.file.Path;

/**
 * Bounds against ZIP bombs and oversize parts: an entry may inflate to at most {@code maxInflated}
 * bytes, and to at most {@code maxRatio} times its compressed size once past {@code ratioFloor}
 * bytes (tiny entries compress far better than that legitimately). {@code tempDir}: where shared
 * strings are spilled (null: the JVM's temporary directory).
 */
public record XlsxLimits(long maxInflated, int maxRatio, long ratioFloor, long maxDirectory, Path tempDir) {
    public static final XlsxLimits DEFAULTS = new XlsxLimits(4L << 30, 200, 16L << 20, 16L << 20, null);
}
