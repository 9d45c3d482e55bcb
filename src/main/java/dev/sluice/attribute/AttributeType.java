package dev.sluice.attribute;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What an attribute's values are. Each type has one JSON form in {@code products.attributes}. */
public enum AttributeType {
    TEXT,
    INTEGER,
    NUMBER,
    BOOLEAN,
    DATE,
    ENUM,
    URL;

    public static final List<String> WIRE =
            Arrays.stream(values()).map(AttributeType::wire).toList();

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for its wire name, or null. */
    public static AttributeType of(String wire) {
        if (wire == null) return null;
        for (AttributeType t : values()) if (t.wire().equals(wire.strip().toLowerCase(Locale.ROOT))) return t;
        return null;
    }

    /** Numbers compare as numbers (in SQL: {@code ::numeric}). */
    public boolean numeric() {
        return this == INTEGER || this == NUMBER;
    }

    /** Types the list filters by range ({@code .gte}/{@code .lte}). */
    public boolean ranged() {
        return numeric() || this == DATE;
    }

    /** Types whose exact filter ignores letter case. */
    public boolean caseless() {
        return this == TEXT || this == ENUM || this == URL || this == BOOLEAN;
    }
}
