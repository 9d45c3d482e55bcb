package dev.sluice.imports;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a job in {@code import_jobs} does: an import of a file, the undo of another job, or a
 * delete-all (run in its request, kept as a job so it is listed and undone like an import).
 */
public enum JobKind {
    IMPORT,
    UNDO,
    DELETE_ALL;

    public static final List<String> WIRE =
            Arrays.stream(values()).map(JobKind::wire).toList();

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind stored as {@code wire}; an import for null (rows from before kinds existed). */
    public static JobKind of(String wire) {
        if (wire == null) return IMPORT;
        for (JobKind k : values()) if (k.wire().equals(wire)) return k;
        return null;
    }

    public boolean is(String wire) {
        return wire().equals(wire);
    }
}
