package dev.sluice.history;

import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One product's change by a job: {@code before} and {@code after} hold the changed fields only
 * (attributes nested under {@code attributes}); a created product has no before, a deleted one no
 * after, and its before is the whole product.
 */
public record ChangeView(
        UUID productId,
        String sku,

        @Schema(enumeration = {"created", "updated", "deleted", "restored"})
        String kind,

        @Schema(description = "The changed fields before the change; null for a created product")
        Map<String, Object> before,

        @Schema(description = "The changed fields after the change; null for a deleted product")
        Map<String, Object> after) {}
