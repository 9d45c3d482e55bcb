package dev.sluice.imports;

import dev.sluice.webhook.WebhookEventTypes;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a job stands. Stored in {@code import_jobs.status} and shown in the API in its wire form
 * (lowercase); SQL in {@link ImportSql} and the database functions use the same literals.
 */
public enum ImportStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** Every wire form, in lifecycle order: for validating a filter and for messages. */
    public static final List<String> WIRE =
            Arrays.stream(values()).map(ImportStatus::wire).toList();

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status stored or sent as {@code wire}; null for null or an unknown value. */
    public static ImportStatus of(String wire) {
        if (wire == null) return null;
        for (ImportStatus s : values()) {
            if (s.wire().equals(wire)) return s;
        }
        return null;
    }

    /** Whether {@code wire} is this status (false for null or an unknown value). */
    public boolean is(String wire) {
        return wire().equals(wire);
    }

    /** Completed, failed or cancelled: the job will not run again. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public static boolean terminal(String wire) {
        ImportStatus s = of(wire);
        return s != null && s.terminal();
    }

    /** The webhook event that announces a job reaching this status; null for statuses nobody is told about. */
    public String eventType() {
        return switch (this) {
            case COMPLETED -> WebhookEventTypes.IMPORT_COMPLETED;
            case FAILED -> WebhookEventTypes.IMPORT_FAILED;
            case CANCELLED -> WebhookEventTypes.IMPORT_CANCELLED;
            case QUEUED, RUNNING -> null;
        };
    }
}
