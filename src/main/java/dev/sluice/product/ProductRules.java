package dev.sluice.product;

import dev.sluice.common.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The product field rules, in one place: the API's Bean Validation annotations take their bounds
 * from here and the CSV importer calls {@link #check} so both reject exactly the same values.
 */
public final class ProductRules {
    public static final int SKU_MAX = 100;
    public static final int NAME_MAX = 255;
    public static final String PRICE_MAX = "9999999999.99";
    public static final BigDecimal PRICE_LIMIT = new BigDecimal(PRICE_MAX);

    private ProductRules() {}

    /** Text PostgreSQL can store: anything but NUL. */
    public static final String NO_NUL = "[^\\x00]*";

    public static final String NO_NUL_MESSAGE = "must not contain NUL characters";

    /** Checks already-typed values; returns one error per invalid field, empty when valid. */
    public static List<FieldError> check(
            String sku, String name, String description, BigDecimal price, Integer quantity) {
        List<FieldError> errors = new ArrayList<>(0);
        if (hasNul(sku)) errors.add(new FieldError("sku", NO_NUL_MESSAGE));
        if (hasNul(name)) errors.add(new FieldError("name", NO_NUL_MESSAGE));
        if (hasNul(description)) errors.add(new FieldError("description", NO_NUL_MESSAGE));
        if (!errors.isEmpty()) return errors;
        String s = sku == null ? "" : sku.strip();
        if (s.isEmpty()) {
            errors.add(new FieldError("sku", "must not be blank", sku));
        } else if (s.length() > SKU_MAX) {
            errors.add(new FieldError("sku", "size must be between 1 and " + SKU_MAX, sku));
        }
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            errors.add(new FieldError("name", "must not be blank", name));
        } else if (n.length() > NAME_MAX) {
            errors.add(new FieldError("name", "size must be between 1 and " + NAME_MAX, name));
        }
        if (price != null) {
            if (price.signum() < 0) {
                errors.add(new FieldError("price", "must be greater than or equal to 0", price));
            } else if (price.scale() > 2 && price.stripTrailingZeros().scale() > 2) {
                errors.add(new FieldError("price", "must have at most 2 decimal places", price));
            } else if (price.compareTo(PRICE_LIMIT) > 0) {
                errors.add(new FieldError("price", "must be at most " + PRICE_MAX, price));
            }
        }
        if (quantity != null && quantity < 0) {
            errors.add(new FieldError("quantity", "must be greater than or equal to 0", quantity));
        }
        return errors;
    }

    private static boolean hasNul(String s) {
        return s != null && s.indexOf('\u0000') >= 0;
    }
}
