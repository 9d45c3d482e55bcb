package dev.sluice.imports;

import java.math.BigDecimal;

/** A valid row, typed, ready for the writer. */
public record ProductRow(String sku, String name, String description, BigDecimal price, int quantity, boolean active) {}
