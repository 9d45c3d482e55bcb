package dev.sluice.product;

import dev.sluice.attribute.AttributeJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A product as the API shows it. */
public record ProductView(
        UUID id,
        String sku,
        String name,
        String description,
        BigDecimal price,
        int quantity,
        boolean active,
        Map<String, Object> attributes,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    static ProductView of(Product p) {
        return new ProductView(
                p.id,
                p.sku,
                p.name,
                p.description,
                p.price,
                p.quantity,
                p.active,
                AttributeJson.read(p.attributes),
                p.version == null ? 0 : p.version,
                p.createdAt,
                p.updatedAt);
    }

    /** Strong ETag: the version changes on every write. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
