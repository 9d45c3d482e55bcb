package dev.sluice.imports;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * SQL fragments that record product history inside the set-based statements of imports and undos,
 * in the shape the API's writes record (history/HistoryDiff): whole images of created and deleted
 * products, and for a change only the fields that differ, attributes nested under
 * {@code attributes} with a missing value as null. Generated, not a SQL function: a function call
 * per row cost more than the diff itself on a million-row import.
 */
final class HistoryColumns {
    static final List<String> CORE = List.of("sku", "name", "description", "price", "quantity", "active");

    private HistoryColumns() {}

    /** The product behind {@code a} (a row with the products' columns) as a whole image. */
    static String image(String a) {
        return "jsonb_build_object("
                + CORE.stream().map(f -> "'" + f + "', " + a + "." + f).collect(Collectors.joining(", "))
                + ", 'attributes', " + a + ".attributes)";
    }

    /**
     * The fields of {@code fields} (and the attribute keys {@code attrKeys}, a text[] expression, or
     * null for none) whose values differ between {@code o} and {@code n}, with the values of
     * {@code side} (one of the two): the before of a change when it is {@code o}, its after when
     * {@code n}. An empty object when nothing differs.
     */
    static String diff(String side, String o, String n, List<String> fields, String attrKeys) {
        return diff(side.equals(o), f -> o + "." + f, f -> n + "." + f, fields, attrKeys);
    }

    /**
     * The same with the old and new values of each field named by {@code o} and {@code n}; the
     * values of the old side when {@code before}, else of the new side.
     */
    static String diff(
            boolean before, UnaryOperator<String> o, UnaryOperator<String> n, List<String> fields, String attrKeys) {
        UnaryOperator<String> side = before ? o : n;
        StringBuilder sql = new StringBuilder("(");
        for (String f : fields) {
            sql.append("case when ")
                    .append(o.apply(f))
                    .append(" is distinct from ")
                    .append(n.apply(f))
                    .append(" then jsonb_build_object('")
                    .append(f)
                    .append("', ")
                    .append(side.apply(f))
                    .append(") else '{}'::jsonb end || ");
        }
        if (attrKeys != null) {
            sql.append("coalesce((select jsonb_build_object('attributes', jsonb_object_agg(c, ")
                    .append(side.apply("attributes"))
                    .append(" -> c)) from unnest(")
                    .append(attrKeys)
                    .append(") c where (")
                    .append(o.apply("attributes"))
                    .append(" -> c) is distinct from (")
                    .append(n.apply("attributes"))
                    .append(" -> c) having count(*) > 0), '{}'::jsonb) || ");
        }
        return sql.append("'{}'::jsonb)").toString();
    }
}
