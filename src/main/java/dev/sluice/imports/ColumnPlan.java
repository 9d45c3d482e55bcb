package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which column of the file feeds which product field. Without a mapping, headers match field names
 * ignoring case and surrounding spaces; a mapping {@code {field: header}} overrides that per field.
 * Other columns are ignored. Only {@code sku} is required: a field without a column is left as it is
 * stored (and a new product without a name column can't be created).
 */
public record ColumnPlan(List<String> header, Map<String, Integer> indexes) {
    public static final List<String> FIELDS = List.of("sku", "name", "description", "price", "quantity", "active");
    public static final List<String> REQUIRED = List.of("sku");

    public int index(String field) {
        return indexes.getOrDefault(field, -1);
    }

    /** The fields the file has a column for, in {@link #FIELDS} order. */
    public List<String> present() {
        return FIELDS.stream().filter(indexes::containsKey).toList();
    }

    /** Resolves, or throws a 422 problem naming the columns found and the ones missing. */
    public static ColumnPlan resolve(List<String> header, Map<String, String> mapping) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) byName.putIfAbsent(normalise(header.get(i)), i);
        Map<String, Integer> indexes = new LinkedHashMap<>();
        List<FieldError> missing = new ArrayList<>();
        List<String> missingColumns = new ArrayList<>();
        for (String field : FIELDS) {
            String wanted = mapping != null && mapping.containsKey(field) ? mapping.get(field) : field;
            Integer idx = byName.get(normalise(wanted));
            if (idx != null) {
                indexes.put(field, idx);
            } else if (REQUIRED.contains(field) || (mapping != null && mapping.containsKey(field))) {
                missing.add(new FieldError(field, "no column '" + wanted + "' in the header", null));
                missingColumns.add(wanted);
            }
        }
        if (!missing.isEmpty()) {
            throw new ApiException(
                            422,
                            "Missing columns",
                            "The file's header lacks required column(s): " + String.join(", ", missingColumns),
                            missing,
                            null)
                    .with("columnsFound", header)
                    .with("columnsMissing", missingColumns);
        }
        return new ColumnPlan(List.copyOf(header), Map.copyOf(indexes));
    }

    static String normalise(String s) {
        return s == null ? "" : s.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
    }
}
