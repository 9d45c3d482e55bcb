package dev.sluice.attribute;

import java.time.Instant;
import java.util.List;

/** An attribute definition as the API shows it. */
public record AttributeView(
        String code,
        String label,
        String type,
        boolean required,
        List<String> options,
        boolean filterable,
        boolean searchable,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public AttributeType kind() {
        return AttributeType.of(type);
    }

    /** {@code attributes->>'code'}: the code is checked against {@code [a-z][a-z0-9_]*}, so it is safe to splice. */
    public String textExpression() {
        return "(attributes->>'" + code + "')";
    }

    /** The value as the index and the list filters compare it. */
    public String filterExpression() {
        AttributeType t = kind();
        if (t.numeric()) return "((attributes->>'" + code + "')::numeric)";
        if (t.caseless()) return "lower(attributes->>'" + code + "')";
        return textExpression();
    }
}
