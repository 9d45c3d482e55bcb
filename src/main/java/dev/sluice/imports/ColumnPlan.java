package dev.sluice.imports;

import dev.sluice.attribute.AttributeView;
import dev.sluice.attribute.Attributes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which column of the file feeds which product field or attribute. Without a mapping, headers match
 * field names ignoring case and surrounding spaces, and attributes by code or label ignoring case,
 * spaces, '_' and '-'; a mapping {@code {field: header}} (or {@code {"attr.<code>": header}})
 * overrides that. Other columns are unmapped: listed on the job, not stored. Only {@code sku} is
 * required: a field or attribute without a column is left as it is stored (and a new product without
 * a name column can't be created).
 */
public record ColumnPlan(
        List<String> header, Map<String, Integer> indexes, List<AttributeColumn> attributes, List<Integer> unmapped) {
    public static final List<String> FIELDS = List.of("sku", "name", "description", "price", "quantity", "active");
    public static final List<String> REQUIRED = List.of("sku");
    public static final String ATTRIBUTE_PREFIX = "attr.";

    /** An attribute and the column that feeds it. */
    public record AttributeColumn(AttributeView attribute, int index) {}

    public ColumnPlan(List<String> header, Map<String, Integer> indexes) {
        this(header, indexes, List.of(), List.of());
    }

    public int index(String field) {
        return indexes.getOrDefault(field, -1);
    }

    /**
     * The fields the file has a column for, in {@link #FIELDS} order, then {@code attr.<code>} for
     * each attribute column, by code: what the write phase sets.
     */
    public List<String> present() {
        List<String> out =
                new ArrayList<>(FIELDS.stream().filter(indexes::containsKey).toList());
        attributes.stream()
                .map(a -> ATTRIBUTE_PREFIX + a.attribute().code())
                .sorted()
                .forEach(out::add);
        return out;
    }

    /** The attribute codes among {@code present}. */
    static List<String> attributeCodes(List<String> present) {
        return present.stream()
                .filter(f -> f.startsWith(ATTRIBUTE_PREFIX))
                .map(f -> f.substring(ATTRIBUTE_PREFIX.length()))
                .toList();
    }

    public static ColumnPlan resolve(List<String> header, Map<String, String> mapping) {
        return resolve(header, mapping, Attributes.NONE);
    }

    /** Resolves, or throws a 422 problem naming the columns found and the ones missing. */
    public static ColumnPlan resolve(List<String> header, Map<String, String> mapping, Attributes attributes) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) byName.putIfAbsent(normalise(header.get(i)), i);
        Map<String, Integer> indexes = new LinkedHashMap<>();
        List<FieldError> missing = new ArrayList<>();
        List<String> missingColumns = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (String field : FIELDS) {
            String wanted = mapping != null && mapping.containsKey(field) ? mapping.get(field) : field;
            Integer idx = byName.get(normalise(wanted));
            if (idx != null) {
                indexes.put(field, idx);
                used.add(idx);
            } else if (REQUIRED.contains(field) || (mapping != null && mapping.containsKey(field))) {
                missing.add(new FieldError(field, "no column '" + wanted + "' in the header", null));
                missingColumns.add(wanted);
            }
        }
        Map<String, AttributeColumn> byCode = new LinkedHashMap<>();
        if (mapping != null) {
            mapping.forEach((field, wanted) -> {
                if (!field.startsWith(ATTRIBUTE_PREFIX)) return;
                AttributeView a = attributes.get(field.substring(ATTRIBUTE_PREFIX.length()));
                Integer idx = byName.get(normalise(wanted));
                if (a == null) {
                    missing.add(new FieldError(field, "names no defined attribute", wanted));
                    missingColumns.add(wanted);
                } else if (idx == null) {
                    missing.add(new FieldError(field, "no column '" + wanted + "' in the header", null));
                    missingColumns.add(wanted);
                } else {
                    byCode.put(a.code(), new AttributeColumn(a, idx));
                    used.add(idx);
                }
            });
        }
        List<Integer> unmapped = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (used.contains(i)) continue;
            AttributeView a = attributes.byHeader(header.get(i));
            if (a != null && !byCode.containsKey(a.code())) {
                byCode.put(a.code(), new AttributeColumn(a, i));
            } else {
                unmapped.add(i);
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
        List<AttributeColumn> columns = byCode.values().stream()
                .sorted(Comparator.comparing(c -> c.attribute().code()))
                .toList();
        return new ColumnPlan(List.copyOf(header), Map.copyOf(indexes), columns, List.copyOf(unmapped));
    }

    static String normalise(String s) {
        return s == null ? "" : s.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
    }
}
