package dev.sluice.product;

import dev.sluice.attribute.AttributeJson;
import dev.sluice.common.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "products")
public class Product extends VersionedEntity {
    @Id
    public UUID id;

    @Column(nullable = false, length = ProductRules.SKU_MAX)
    public String sku;

    @Column(nullable = false, length = ProductRules.NAME_MAX)
    public String name;

    public String description;

    @Column(precision = 12, scale = 2)
    public BigDecimal price;

    @Column(nullable = false)
    public int quantity;

    @Column(nullable = false)
    public boolean active = true;

    /** {code: value} as jsonb text (see {@link AttributeJson}). */
    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(read = "cast(attributes as text)", write = "cast(cast(? as text) as jsonb)")
    public String attributes = "{}";

    /** {@code attrs}: the checked attribute values that replace the stored ones; null keeps them. */
    void apply(ProductInput in, Map<String, Object> attrs) {
        sku = in.sku().strip();
        name = in.name().strip();
        description = in.description();
        // 9.5 and 9.50 are the same price: keep the stored value so an unchanged PUT stays a no-op.
        if (price == null || in.price() == null || price.compareTo(in.price()) != 0) price = in.price();
        quantity = in.quantity() == null ? 0 : in.quantity();
        active = in.active() == null || in.active();
        // Same values, same text: an unchanged PUT must not bump the version.
        if (attrs != null && !AttributeJson.same(AttributeJson.read(attributes), attrs))
            attributes = AttributeJson.write(attrs);
    }
}
