package dev.sluice.attribute;

import dev.sluice.common.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The attribute definitions at one moment, in code order: what products and imports validate against. */
public final class Attributes {
    public static final Attributes NONE = new Attributes(List.of());
    private final List<AttributeView> all;
    private final Map<String, AttributeView> byCode = new HashMap<>();
    private final Map<String, AttributeView> byHeader = new HashMap<>();

    public Attributes(List<AttributeView> all) {
        this.all = List.copyOf(all);
        for (AttributeView a : all) byCode.put(a.code(), a);
        // A code wins over another attribute's label that normalises the same.
        for (AttributeView a : all) byHeader.putIfAbsent(headerKey(a.label()), a);
        for (AttributeView a : all) byHeader.put(headerKey(a.code()), a);
    }

    public List<AttributeView> all() {
        return all;
    }

    public AttributeView get(String code) {
        return code == null ? null : byCode.get(code);
    }

    /** The attribute a column header names: its code or label, ignoring case, spaces, '_' and '-'. */
    public AttributeView byHeader(String header) {
        return byHeader.get(headerKey(header));
    }

    public List<AttributeView> searchable() {
        return all.stream().filter(AttributeView::searchable).toList();
    }

    /** "Colour_Name - x" → "colournamex". */
    public static String headerKey(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        s.replace("\uFEFF", "")
                .toLowerCase(Locale.ROOT)
                .codePoints()
                .filter(c -> c != '_' && c != '-' && !Character.isWhitespace(c))
                .forEach(b::appendCodePoint);
        return b.toString();
    }

    /** Checked values in their stored form, or the errors naming {@code attributes.<code>}. */
    public record Checked(Map<String, Object> values, List<FieldError> errors) {}

    /**
     * Checks a product's attributes as sent. A null value or blank text clears the attribute (it
     * has no key then). {@code creating}: the required attributes must have a value.
     */
    public Checked check(Map<String, Object> input, boolean creating) {
        Map<String, Object> out = new TreeMap<>();
        List<FieldError> errors = new ArrayList<>(0);
        if (input != null) {
            for (Map.Entry<String, Object> e : input.entrySet()) {
                AttributeView a = byCode.get(e.getKey());
                if (a == null) {
                    errors.add(new FieldError("attributes." + e.getKey(), "is not a defined attribute", e.getValue()));
                    continue;
                }
                try {
                    Object v = AttributeValues.convert(a, e.getValue());
                    if (v != null) out.put(a.code(), v);
                } catch (AttributeValues.BadValue bad) {
                    errors.add(new FieldError("attributes." + a.code(), bad.getMessage(), e.getValue()));
                }
            }
        }
        if (creating) {
            for (AttributeView a : all) {
                if (a.required()
                        && !out.containsKey(a.code())
                        && errors.stream().noneMatch(f -> f.field().equals("attributes." + a.code())))
                    errors.add(new FieldError("attributes." + a.code(), "is required"));
            }
        }
        return new Checked(new LinkedHashMap<>(out), errors);
    }
}
