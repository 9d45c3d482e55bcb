package dev.sluice.product;

import dev.sluice.attribute.AttributeView;
import dev.sluice.attribute.Attributes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A sort order for the product list: one field or attribute ({@code attr.<code>}), ascending or
 * descending ("-name"), ties broken by id.
 */
public record ProductSort(Field field, boolean descending, AttributeView attribute) {

    public ProductSort(Field field, boolean descending) {
        this(field, descending, null);
    }

    /** Sortable fields: the SQL expression, its type, how a cursor stores its value, and how to read it back. */
    public enum Field {
        SKU("sku", "lower(sku)", "text", v -> v.sku(), s -> s),
        NAME("name", "name", "text", v -> v.name(), s -> s),
        // Missing prices sort as -1 so that the keyset comparison never meets a NULL.
        PRICE(
                "price",
                "coalesce(price, -1)",
                "numeric",
                v -> v.price() == null ? "-1" : v.price().toPlainString(),
                BigDecimal::new),
        QUANTITY("quantity", "quantity", "int4", v -> Integer.toString(v.quantity()), Integer::valueOf),
        CREATED_AT("createdAt", "created_at", "timestamptz", v -> v.createdAt().toString(), Instant::parse),
        UPDATED_AT("updatedAt", "updated_at", "timestamptz", v -> v.updatedAt().toString(), Instant::parse),
        /** {@code attr.<code>}: the attribute is in {@link ProductSort#attribute()}. */
        ATTRIBUTE("attr.", null, null, null, s -> s);

        final String apiName;
        final String expression;
        final String type;
        final Function<ProductView, String> cursorValue;
        final Function<String, Object> parse;

        Field(
                String apiName,
                String expression,
                String type,
                Function<ProductView, String> cursorValue,
                Function<String, Object> parse) {
            this.apiName = apiName;
            this.expression = expression;
            this.type = type;
            this.cursorValue = cursorValue;
            this.parse = parse;
        }

        /** lower(sku) is unique, so it needs no id tie-breaker. */
        boolean unique() {
            return this == SKU;
        }
    }

    public static final ProductSort DEFAULT = new ProductSort(Field.CREATED_AT, false);

    /** A built-in field's sort (no attributes known). */
    public static ProductSort parse(String raw) {
        return parse(raw, Attributes.NONE);
    }

    public static ProductSort parse(String raw, Attributes attributes) {
        if (raw == null || raw.isBlank()) return DEFAULT;
        String s = raw.strip();
        boolean desc = s.startsWith("-");
        String name = desc || s.startsWith("+") ? s.substring(1) : s;
        if (name.startsWith("attr.")) {
            AttributeView a = attributes.get(name.substring(5));
            if (a != null) return new ProductSort(Field.ATTRIBUTE, desc, a);
            throw ApiException.badRequest(
                    "Unknown sort attribute", List.of(new FieldError("sort", "names no defined attribute", raw)));
        }
        for (Field f : Field.values()) {
            if (f != Field.ATTRIBUTE && f.apiName.equals(name)) return new ProductSort(f, desc);
        }
        String allowed = Arrays.stream(Field.values())
                .filter(f -> f != Field.ATTRIBUTE)
                .map(f -> f.apiName)
                .collect(Collectors.joining(", "));
        throw ApiException.badRequest(
                "Unknown sort field",
                List.of(new FieldError(
                        "sort", "must be one of " + allowed + " or attr.<code>, optionally prefixed with '-'", raw)));
    }

    public String apiValue() {
        return (descending ? "-" : "") + (attribute == null ? field.apiName : "attr." + attribute.code());
    }

    /**
     * The SQL sort expression. An attribute's missing values sort first (as '' or -Infinity), so the
     * keyset comparison never meets a NULL.
     */
    String expression() {
        if (attribute == null) return field.expression;
        return attribute.kind().numeric()
                ? "coalesce(" + attribute.filterExpression() + ", '-Infinity')"
                : "coalesce(" + attribute.filterExpression() + ", '')";
    }

    String sqlType() {
        if (attribute == null) return field.type;
        return attribute.kind().numeric() ? "numeric" : "text";
    }

    boolean unique() {
        return attribute == null && field.unique();
    }

    /** The cursor's value read back; throws on a value this sort can't have. */
    Object parseValue(String value) {
        if (attribute != null && attribute.kind().numeric())
            return value.equals("-Infinity") ? value : new BigDecimal(value);
        return field.parse.apply(value);
    }

    /** The cursor's value as the keyset condition's parameter. */
    Object cursorParam(String value) {
        if (attribute != null) return value;
        Object v = field.parse.apply(value);
        return v instanceof Instant i ? i.atOffset(java.time.ZoneOffset.UTC) : v;
    }

    String orderBy() {
        String dir = descending ? " desc" : " asc";
        return " order by " + expression() + dir + (unique() ? "" : ", id" + dir);
    }

    /** The keyset condition "after the cursor's row" in this order, with the value at {@code $v} and the id at {@code $i}. */
    String keysetCondition(int v, int i) {
        String op = descending ? "<" : ">";
        // An attribute's value travels as text (it may be -Infinity) and is cast in SQL.
        String value = "$" + v + (attribute == null ? "::" + sqlType() : "::text::" + sqlType());
        if (unique()) return expression() + " " + op + " lower(" + value + ")";
        return "(" + expression() + ", id) " + op + " (" + value + ", $" + i + ")";
    }
}
