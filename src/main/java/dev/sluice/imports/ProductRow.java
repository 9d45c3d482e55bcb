package dev.sluice.imports;

import java.math.BigDecimal;

/** A valid row, typed, ready for the writer. {@code attrs}: its attribute values as JSON, null without attribute columns. */
public record ProductRow(
        String sku, String name, String description, BigDecimal price, int quantity, boolean active, String attrs) {
    public ProductRow(String sku, String name, String description, BigDecimal price, int quantity, boolean active) {
        this(sku, name, description, price, quantity, active, null);
    }
}
