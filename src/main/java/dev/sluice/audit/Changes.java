package dev.sluice.audit;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Before and after of the fields that changed: {@code {field: {before, after}}}. */
public final class Changes {
    /** Bookkeeping fields that change with every write and say nothing on their own. */
    private static final Set<String> IGNORED = Set.of("version", "updatedAt", "createdAt");

    private Changes() {}

    public static Map<String, Object> diff(Map<String, ?> before, Map<String, ?> after) {
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        if (before != null) keys.addAll(before.keySet());
        if (after != null) keys.addAll(after.keySet());
        for (String k : keys) {
            if (IGNORED.contains(k)) continue;
            Object b = before == null ? null : before.get(k), a = after == null ? null : after.get(k);
            if (before != null && after != null && same(b, a)) continue;
            Map<String, Object> change = new LinkedHashMap<>();
            if (before != null) change.put("before", b);
            if (after != null) change.put("after", a);
            out.put(k, change);
        }
        return out;
    }

    /** Equal values; numbers compared by value (9.5 and 9.50 are the same price). */
    public static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }
}
