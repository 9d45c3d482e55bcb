package dev.sluice.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the image of a product as an import created it, which the import doesn't store: start from
 * what the product is now (or, once deleted, from its deletion's whole image) and take back every
 * change recorded after its creation, newest first. Each change's before holds the values it replaced,
 * so the result is exact while the product's later history is kept (retention keeps it: see
 * {@link HistoryRetention}).
 */
final class CreatedImages {
    private CreatedImages() {}

    /** A recorded change of the product, as far as rebuilding needs it. */
    record Change(long version, String kind, Map<String, Object> before, Map<String, Object> after) {}

    /**
     * The product at {@code version} (its creation), from {@code now} (its current image, or null once
     * deleted) and its changes after the creation, newest first.
     */
    static Map<String, Object> at(Map<String, Object> now, List<Change> newerFirst) {
        Map<String, Object> state = now == null ? null : copy(now);
        for (Change c : newerFirst) {
            if (c.after() == null) state = copy(c.before()); // before a deletion: the whole product
            else if (c.before() == null) state = null; // before it was brought back: absent
            else if (state != null) takeBack(state, c.before());
        }
        if (state != null) state.remove("createdAt");
        return state;
    }

    /** The changes of {@code all} (newest first) that came after the creation at {@code version}. */
    static List<Change> after(long version, List<Change> all) {
        List<Change> out = new ArrayList<>();
        for (Change c : all) {
            if (c.version() > version
                    || (c.version() == version && ChangeKind.DELETED.wire().equals(c.kind()))) out.add(c);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void takeBack(Map<String, Object> state, Map<String, Object> before) {
        for (Map.Entry<String, Object> e : before.entrySet()) {
            if (!e.getKey().equals(HistoryDiff.ATTRIBUTES)) {
                state.put(e.getKey(), e.getValue());
                continue;
            }
            Map<String, Object> attrs = state.get(HistoryDiff.ATTRIBUTES) instanceof Map<?, ?> m
                    ? new LinkedHashMap<>((Map<String, Object>) m)
                    : new LinkedHashMap<>();
            if (e.getValue() instanceof Map<?, ?> changed) {
                changed.forEach((code, value) -> {
                    if (value == null) attrs.remove(code.toString());
                    else attrs.put(code.toString(), value);
                });
            }
            state.put(HistoryDiff.ATTRIBUTES, attrs);
        }
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }
}
