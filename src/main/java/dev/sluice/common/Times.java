package dev.sluice.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as PostgreSQL stores them (microseconds), so what we return equals what we read back. */
public final class Times {
    private Times() {}

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
