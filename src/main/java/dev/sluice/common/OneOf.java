package dev.sluice.common;

import java.util.List;

/**
 * A query parameter that takes one word of a closed set (a status, a kind to filter by). A word
 * outside the set is a 400 that names the parameter and the words it takes, rather than a filter
 * that silently matches nothing.
 */
public final class OneOf {
    private OneOf() {}

    /** {@code value} itself when it is null (no filter) or one of {@code allowed}. */
    public static String check(String param, String value, List<String> allowed) {
        if (value == null || allowed.contains(value)) return value;
        throw ApiException.badRequest(
                "Unknown " + param,
                List.of(new FieldError(param, "must be one of " + String.join(", ", allowed), value)));
    }
}
