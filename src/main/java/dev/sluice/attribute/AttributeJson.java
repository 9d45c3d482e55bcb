package dev.sluice.attribute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NumericNode;
import dev.sluice.common.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jsonb text of {@code products.attributes} ↔ a map. Decimals read as BigDecimal, so 9.50 stays
 * 9.50; two maps are the same when their values are (numbers compared by value, as jsonb does).
 */
public final class AttributeJson {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

    private AttributeJson() {}

    public static Map<String, Object> read(String json) {
        if (json == null || json.isEmpty() || json.equals("{}")) return new LinkedHashMap<>();
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable attributes", e);
        }
    }

    public static String write(Map<String, ?> values) {
        return Json.pgSafe(Json.write(JSON, values == null ? Map.of() : values));
    }

    static List<String> readList(String json) {
        if (json == null || json.isEmpty()) return List.of();
        try {
            return List.copyOf(JSON.readValue(json, LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable options", e);
        }
    }

    static String writeList(List<String> values) {
        return Json.write(JSON, values == null ? List.of() : values);
    }

    /** Same keys, same values (numbers by value). */
    public static boolean same(Map<String, ?> a, Map<String, ?> b) {
        JsonNode x = JSON.valueToTree(a == null ? Map.of() : a), y = JSON.valueToTree(b == null ? Map.of() : b);
        return x.equals(
                (l, r) -> l.equals(r)
                                || (l instanceof NumericNode m
                                        && r instanceof NumericNode n
                                        && m.decimalValue().compareTo(n.decimalValue()) == 0)
                        ? 0
                        : 1,
                y);
    }
}
