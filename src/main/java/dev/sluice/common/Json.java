package dev.sluice.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON text for columns and messages, with the application's (Quarkus-configured) mapper. */
public final class Json {
    private Json() {}

    /**
     * The value as JSON. Everything we write is our own records, maps and lists, so a failure is a
     * bug, not bad input: it surfaces as an unchecked exception (and a 500 with an error id).
     */
    public static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "Unserialisable "
                            + (value == null ? "null" : value.getClass().getSimpleName()),
                    e);
        }
    }

    /**
     * JSON text PostgreSQL can store: neither text nor jsonb can hold NUL, so an escaped NUL
     * ({@code \u0000}) becomes U+FFFD and the rest of the value survives.
     */
    public static String pgSafe(String json) {
        return json == null ? null : json.replace("\\u0000", "\\uFFFD");
    }
}
