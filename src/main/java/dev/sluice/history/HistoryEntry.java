package dev.sluice.history;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One version of a product, as {@code GET /api/products/{id}/history} lists them (newest first).
 * {@code version} is the product's version after the change (a deletion: the version it had);
 * {@code jobId} the import, undo or delete-all that made it.
 */
public record HistoryEntry(
        long version,
        Instant at,
        Actor actor,

        @Schema(enumeration = {"api", "import", "undo", "delete-all"})
        String source,

        @Schema(enumeration = {"created", "updated", "deleted", "restored"})
        String kind,

        UUID jobId,

        @Schema(description = "{field: {before, after}}; attributes as attributes.<code>")
        Map<String, HistoryDiff.FieldChange> changes) {

    /** Who made the change; null fields for the system. */
    @RegisterForReflection
    public record Actor(UUID id, String email) {}
}
