package dev.sluice.imports;

import java.util.Locale;

/**
 * The two passes of a run. The scan reads the whole file once and stages each valid row's key and
 * line, so the write pass knows, before it writes a row, whether a later row of the same file
 * supersedes it. Stored in {@code import_jobs.phase}; a run resumes in the phase it was in.
 */
public enum ImportPhase {
    SCAN,
    WRITE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImportPhase of(String stored) {
        return stored == null ? SCAN : valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
