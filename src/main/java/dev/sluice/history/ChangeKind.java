package dev.sluice.history;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a change did to a product; stored in {@code product_history.kind} in its wire form. */
public enum ChangeKind {
    CREATED,
    UPDATED,
    DELETED,
    /** An undo brought the product back, or set its fields back. */
    RESTORED;

    public static final List<String> WIRE =
            Arrays.stream(values()).map(ChangeKind::wire).toList();

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind sent as {@code wire}; null for null or an unknown value. */
    public static ChangeKind of(String wire) {
        for (ChangeKind k : values()) if (k.wire().equals(wire)) return k;
        return null;
    }
}
