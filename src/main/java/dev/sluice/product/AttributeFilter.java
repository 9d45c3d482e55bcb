package dev.sluice.product;

import dev.sluice.attribute.AttributeType;
import dev.sluice.attribute.AttributeValues;
import dev.sluice.attribute.AttributeView;
import dev.sluice.attribute.Attributes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A list filter on an attribute: {@code attr.<code>=v} (exact; text, enum, url and boolean ignore
 * case), {@code attr.<code>.gte=v} / {@code .lte=v} for integer, number and date. The condition is
 * written on the expression a filterable attribute's index holds ({@link AttributeView#filterExpression()}).
 */
public record AttributeFilter(AttributeView attribute, String op, Object value) {

    /** The condition with {@code %1$s} where the value goes. */
    String condition() {
        String e = attribute.filterExpression();
        String cmp = switch (op) {
            case "gte" -> " >= ";
            case "lte" -> " <= ";
            default -> " = ";
        };
        return attribute.kind().caseless() ? e + cmp + "lower(%1$s)" : e + cmp + "%1$s";
    }

    String sqlType() {
        return attribute.kind().numeric() ? "numeric" : "text";
    }

    /** The {@code attr.*} query parameters, checked against the definitions. */
    static List<AttributeFilter> parse(Map<String, List<String>> params, Attributes attributes) {
        List<AttributeFilter> out = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        if (params == null) return out;
        params.forEach((name, values) -> {
            if (!name.startsWith("attr.") || values == null || values.isEmpty()) return;
            String rest = name.substring(5), op = "eq";
            if (rest.endsWith(".gte") || rest.endsWith(".lte")) {
                op = rest.substring(rest.length() - 3);
                rest = rest.substring(0, rest.length() - 4);
            }
            AttributeView a = attributes.get(rest);
            String raw = values.getLast();
            if (a == null) {
                errors.add(new FieldError(name, "names no defined attribute", raw));
                return;
            }
            if (!op.equals("eq") && !a.kind().ranged()) {
                errors.add(new FieldError(name, "ranges are for integer, number and date attributes", raw));
                return;
            }
            try {
                Object v = AttributeValues.convert(a, raw);
                if (v == null) {
                    errors.add(new FieldError(name, "must not be empty", raw));
                    return;
                }
                if (a.kind() == AttributeType.BOOLEAN) v = v.toString();
                if (v instanceof Long l) v = java.math.BigDecimal.valueOf(l);
                out.add(new AttributeFilter(a, op, v));
            } catch (AttributeValues.BadValue bad) {
                errors.add(new FieldError(name, bad.getMessage(), raw));
            }
        });
        if (!errors.isEmpty()) throw ApiException.badRequest("Invalid attribute filters", errors);
        return out;
    }
}
