package dev.sluice.history;

import dev.sluice.audit.Changes;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fields that differ between two images of a product, as history stores them: core fields by
 * name, attributes nested under {@code attributes} with a missing value as null. The SQL that
 * records imports and undos builds the same shape (imports/HistoryColumns).
 */
public final class HistoryDiff {
    static final String ATTRIBUTES = "attributes";

    private HistoryDiff() {}

    /** Before and after of the changed fields only; both empty when nothing changed. */
    public record Changed(Map<String, Object> before, Map<String, Object> after) {
        public boolean none() {
            return before.isEmpty() && after.isEmpty();
        }
    }

    public static Changed between(Map<String, ?> before, Map<String, ?> after) {
        Map<String, Object> b = new LinkedHashMap<>(), a = new LinkedHashMap<>();
        for (String k : keys(before, after)) {
            if (k.equals(ATTRIBUTES)) continue;
            Object x = before.get(k), y = after.get(k);
            if (Changes.same(x, y)) continue;
            b.put(k, x);
            a.put(k, y);
        }
        Map<?, ?> ba = map(before.get(ATTRIBUTES)), aa = map(after.get(ATTRIBUTES));
        Map<String, Object> battrs = new LinkedHashMap<>(), aattrs = new LinkedHashMap<>();
        for (Object k : keys(ba, aa)) {
            Object x = ba.get(k), y = aa.get(k);
            if (Changes.same(x, y)) continue;
            battrs.put(k.toString(), x);
            aattrs.put(k.toString(), y);
        }
        if (!battrs.isEmpty()) {
            b.put(ATTRIBUTES, battrs);
            a.put(ATTRIBUTES, aattrs);
        }
        return new Changed(b, a);
    }

    /**
     * A change as {@code {field: {before, after}}}, attributes as {@code attributes.<code>} (the name
     * their field errors use). A creation has only afters, a deletion only befores.
     */
    public static Map<String, FieldChange> fields(Map<String, ?> before, Map<String, ?> after) {
        Map<String, ?> b = before == null ? Map.of() : before, a = after == null ? Map.of() : after;
        Map<String, FieldChange> out = new LinkedHashMap<>();
        for (String k : keys(b, a)) {
            if (k.equals(ATTRIBUTES)) {
                Map<?, ?> ba = map(b.get(k)), aa = map(a.get(k));
                for (Object code : keys(ba, aa))
                    out.put(ATTRIBUTES + "." + code, new FieldChange(ba.get(code), aa.get(code)));
            } else {
                out.put(k, new FieldChange(b.get(k), a.get(k)));
            }
        }
        return out;
    }

    /** One field's value before and after a change (null: no value). */
    @RegisterForReflection // serialised as a map's values, where the native build's analysis doesn't look
    public record FieldChange(Object before, Object after) {}

    private static <K> Set<K> keys(Map<? extends K, ?> a, Map<? extends K, ?> b) {
        Set<K> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }
}
