package dev.sluice.product;

import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A sort order for the product list: one field, ascending or descending ("-name"), ties broken by id. */
public record ProductSort(Field field, boolean descending) {

    /** Sortable fields: the HQL expression, how a cursor stores its value, and how to read it back. */
    public enum Field {
        SKU("sku", "lower(p.sku)", p -> p.sku, s -> s),
        NAME("name", "p.name", p -> p.name, s -> s),
        // Missing prices sort as -1 so that the keyset comparison never meets a NULL.
        PRICE("price", "coalesce(p.price, -1)", p -> p.price == null ? "-1" : p.price.toPlainString(), BigDecimal::new),
        QUANTITY("quantity", "p.quantity", p -> Integer.toString(p.quantity), Integer::valueOf),
        CREATED_AT("createdAt", "p.createdAt", p -> p.createdAt.toString(), Instant::parse),
        UPDATED_AT("updatedAt", "p.updatedAt", p -> p.updatedAt.toString(), Instant::parse);

        final String apiName;
        final String expression;
        final Function<Product, String> cursorValue;
        final Function<String, Object> parse;

        Field(
                String apiName,
                String expression,
                Function<Product, String> cursorValue,
                Function<String, Object> parse) {
            this.apiName = apiName;
            this.expression = expression;
            this.cursorValue = cursorValue;
            this.parse = parse;
        }

        /** The value used in the cursor comparison; sku compares lower-cased in the database. */
        String parameterExpression() {
            return this == SKU ? "lower(:cv)" : ":cv";
        }

        /** lower(sku) is unique, so it needs no id tie-breaker. */
        boolean unique() {
            return this == SKU;
        }
    }

    public static final ProductSort DEFAULT = new ProductSort(Field.CREATED_AT, false);

    public static ProductSort parse(String raw) {
        if (raw == null || raw.isBlank()) return DEFAULT;
        String s = raw.strip();
        boolean desc = s.startsWith("-");
        String name = desc || s.startsWith("+") ? s.substring(1) : s;
        for (Field f : Field.values()) {
            if (f.apiName.equals(name)) return new ProductSort(f, desc);
        }
        String allowed = Arrays.stream(Field.values()).map(f -> f.apiName).collect(Collectors.joining(", "));
        throw ApiException.badRequest(
                "Unknown sort field",
                List.of(new FieldError("sort", "must be one of " + allowed + ", optionally prefixed with '-'", raw)));
    }

    public String apiValue() {
        return (descending ? "-" : "") + field.apiName;
    }

    String orderBy() {
        String dir = descending ? " desc" : " asc";
        return " order by " + field.expression + dir + (field.unique() ? "" : ", p.id" + dir);
    }

    /** The keyset condition "after the cursor's row" in this order. */
    String keysetCondition() {
        String op = descending ? "<" : ">";
        if (field.unique()) {
            return field.expression + " " + op + " " + field.parameterExpression();
        }
        return "(" + field.expression + ", p.id) " + op + " (" + field.parameterExpression() + ", :cid)";
    }
}
