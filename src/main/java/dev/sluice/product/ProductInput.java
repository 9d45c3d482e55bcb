package dev.sluice.product;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.Map;

/** What a client sends to create or fully replace a product. */
public record ProductInput(
        @NotBlank
        @Size(max = ProductRules.SKU_MAX)
        @Pattern(regexp = ProductRules.NO_NUL, message = ProductRules.NO_NUL_MESSAGE)
        String sku,

        @NotBlank
        @Size(max = ProductRules.NAME_MAX)
        @Pattern(regexp = ProductRules.NO_NUL, message = ProductRules.NO_NUL_MESSAGE)
        String name,

        @Pattern(regexp = ProductRules.NO_NUL, message = ProductRules.NO_NUL_MESSAGE)
        String description,

        @DecimalMin("0") @DecimalMax(ProductRules.PRICE_MAX) @Digits(integer = 10, fraction = 2)
        BigDecimal price,

        @PositiveOrZero Integer quantity,
        Boolean active,
        /** {code: value}; null or absent on a PUT keeps the stored attributes, a map replaces them all. */
        Map<String, Object> attributes) {}
