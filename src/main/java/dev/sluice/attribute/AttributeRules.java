package dev.sluice.attribute;

import dev.sluice.common.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What makes a definition valid, and how an import derives a code from a column header. */
public final class AttributeRules {
    public static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    public static final int LABEL_MAX = 255;
    public static final int OPTION_MAX = 255;
    public static final int OPTIONS_MAX = 500;
    /** The core fields' names: an import header can't feed both a field and an attribute. */
    static final Set<String> PRODUCT_FIELDS = Set.of("sku", "name", "description", "price", "quantity", "active");

    private AttributeRules() {}

    /** The definition's errors; {@code code} is the one from the path on a PUT. */
    static List<FieldError> check(AttributeInput in, String code) {
        List<FieldError> errors = new ArrayList<>(0);
        if (code == null || !CODE.matcher(code).matches())
            errors.add(new FieldError(
                    "code", "must be a lowercase letter followed by up to 62 lowercase letters, digits or _", code));
        else if (PRODUCT_FIELDS.contains(code))
            errors.add(new FieldError("code", "is a product field; choose another code", code));
        if (in.label() != null && (in.label().isBlank() || in.label().strip().length() > LABEL_MAX))
            errors.add(new FieldError("label", "must be 1 to " + LABEL_MAX + " characters", in.label()));
        if (in.label() != null && in.label().indexOf('\u0000') >= 0)
            errors.add(new FieldError("label", "must not contain NUL characters"));
        AttributeType type = AttributeType.of(in.type());
        if (type == null) errors.add(new FieldError("type", "must be one of " + AttributeType.WIRE, in.type()));
        List<String> options = in.options() == null ? List.of() : in.options();
        if (type == AttributeType.ENUM) {
            if (options.isEmpty()) errors.add(new FieldError("options", "must list the enum's values"));
            if (options.size() > OPTIONS_MAX)
                errors.add(new FieldError("options", "must list at most " + OPTIONS_MAX + " values"));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < options.size(); i++) {
                String o = options.get(i);
                if (o == null || o.isBlank() || o.strip().length() > OPTION_MAX || o.indexOf('\u0000') >= 0) {
                    errors.add(new FieldError("options[" + i + "]", "must be 1 to " + OPTION_MAX + " characters", o));
                } else if (!seen.add(o.strip().toLowerCase(Locale.ROOT))) {
                    errors.add(new FieldError("options[" + i + "]", "repeats another option (options ignore case)", o));
                }
            }
        } else if (type != null && !options.isEmpty()) {
            errors.add(new FieldError("options", "are only for enum attributes", options));
        }
        return errors;
    }

    static List<String> options(AttributeInput in) {
        if (!"enum"
                .equals(
                        AttributeType.of(in.type()) == null
                                ? null
                                : AttributeType.of(in.type()).wire())) return List.of();
        return in.options().stream().map(String::strip).toList();
    }

    /** "Weight (kg)" → "weight_kg"; "3D" → "a_3d"; a header with no letter or digit → "column". */
    public static String codeFor(String header) {
        String s = header == null ? "" : header.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) b.append(c);
            else if (!b.isEmpty() && b.charAt(b.length() - 1) != '_') b.append('_');
        }
        while (!b.isEmpty() && b.charAt(b.length() - 1) == '_') b.setLength(b.length() - 1);
        if (b.isEmpty()) b.append("column");
        if (b.charAt(0) < 'a') b.insert(0, "a_");
        String code = b.length() > 60 ? b.substring(0, 60) : b.toString();
        return PRODUCT_FIELDS.contains(code) ? code + "_attr" : code;
    }
}
