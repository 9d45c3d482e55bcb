package dev.sluice.attribute;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One value → its stored form, by the attribute's type: text and url as strings, integer as a long,
 * number as a decimal, boolean, date as its ISO text (yyyy-MM-dd), enum in its option's spelling.
 * The API (JSON values) and the importer (cell text) call the same rules. Null or blank means "no
 * value" (the attribute is cleared) and converts to null.
 */
public final class AttributeValues {
    public static final int TEXT_MAX = 10_000;

    private AttributeValues() {}

    /** A value the type can't take; the message is the reason, for a field error or an import report. */
    public static final class BadValue extends RuntimeException {
        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    public static Object convert(AttributeView a, Object raw) {
        if (raw == null) return null;
        if (raw instanceof String s && s.isBlank()) return null;
        return switch (a.kind()) {
            case TEXT -> text(raw);
            case INTEGER -> integer(raw);
            case NUMBER -> number(raw);
            case BOOLEAN -> bool(raw);
            case DATE -> date(raw);
            case ENUM -> option(a, raw);
            case URL -> url(raw);
        };
    }

    private static String text(Object raw) {
        if (!(raw instanceof String || raw instanceof Number || raw instanceof Boolean))
            throw new BadValue("must be text");
        String s = raw instanceof BigDecimal d ? d.toPlainString() : raw.toString();
        if (s.indexOf('\u0000') >= 0) throw new BadValue("must not contain NUL characters");
        if (s.length() > TEXT_MAX) throw new BadValue("must be at most " + TEXT_MAX + " characters");
        return s;
    }

    private static Long integer(Object raw) {
        try {
            BigDecimal d = raw instanceof String s ? new BigDecimal(s.strip()) : decimal(raw);
            if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) throw new BadValue("is not a whole number");
            return d.toBigIntegerExact().longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BadValue("is not a whole number (up to 19 digits)");
        }
    }

    private static BigDecimal number(Object raw) {
        try {
            BigDecimal d = raw instanceof String s ? new BigDecimal(s.strip()) : decimal(raw);
            if (d.precision() - d.scale() > 100 || d.scale() > 100) throw new BadValue("is out of range");
            return d;
        } catch (NumberFormatException e) {
            throw new BadValue("is not a number");
        }
    }

    private static BigDecimal decimal(Object raw) {
        return switch (raw) {
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            case Double d when d.isNaN() || d.isInfinite() -> throw new NumberFormatException();
            case Float f when f.isNaN() || f.isInfinite() -> throw new NumberFormatException();
            case Number n -> new BigDecimal(n.toString());
            default -> throw new NumberFormatException();
        };
    }

    private static Boolean bool(Object raw) {
        if (raw instanceof Boolean b) return b;
        Boolean b = raw instanceof String s ? parseBoolean(s) : null;
        if (b == null) throw new BadValue("must be true/false, 1/0 or yes/no");
        return b;
    }

    public static Boolean parseBoolean(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "t" -> Boolean.TRUE;
            case "false", "0", "no", "n", "f" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String date(Object raw) {
        if (!(raw instanceof String s)) throw new BadValue("must be a date as yyyy-MM-dd");
        try {
            LocalDate d = LocalDate.parse(s.strip());
            if (d.getYear() < 1 || d.getYear() > 9999) throw new BadValue("must be between years 1 and 9999");
            return d.toString();
        } catch (DateTimeParseException e) {
            throw new BadValue("must be a date as yyyy-MM-dd");
        }
    }

    private static String option(AttributeView a, Object raw) {
        String s = text(raw).strip();
        for (String o : a.options()) if (o.equalsIgnoreCase(s)) return o;
        throw new BadValue("must be one of " + String.join(", ", a.options()));
    }

    private static String url(Object raw) {
        if (!(raw instanceof String s)) throw new BadValue("must be an http or https URL");
        String u = s.strip();
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null)
                throw new BadValue("must be an http or https URL");
        } catch (java.net.URISyntaxException e) {
            throw new BadValue("must be an http or https URL");
        }
        if (u.length() > TEXT_MAX) throw new BadValue("must be at most " + TEXT_MAX + " characters");
        return u;
    }
}
