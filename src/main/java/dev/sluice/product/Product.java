package dev.sluice.product;

import dev.sluice.common.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.UUID;

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

    void apply(ProductInput in) {
        sku = in.sku().strip();
        name = in.name().strip();
        description = in.description();
        // 9.5 and 9.50 are the same price: keep the stored value so an unchanged PUT stays a no-op.
        if (price == null || in.price() == null || price.compareTo(in.price()) != 0) price = in.price();
        quantity = in.quantity() == null ? 0 : in.quantity();
        active = in.active() == null || in.active();
    }
}
