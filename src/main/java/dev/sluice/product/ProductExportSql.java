package dev.sluice.product;

import dev.sluice.attribute.AttributeView;
import java.util.List;

/**
 * The select list of an export, over {@code products}: only the cells the file shows, as the text
 * PostgreSQL prints (as for {@code COPY}). Read as typed values (a UUID, two timestamps, a
 * BigDecimal, the attributes as JSON parsed into a map) the rows cost the event loop more than
 * writing the file did (docs/benchmarks.md, "Export"). Whole CSV lines built in SQL were measured
 * too: PostgreSQL's single backend then became the slower side. Attribute codes are checked against
 * {@code [a-z][a-z0-9_]*} when defined, so they are safe to splice.
 */
final class ProductExportSql {
    private ProductExportSql() {}

    /**
     * The cells as text: sku, name, description, price, quantity, active, then per attribute its
     * value prefixed by its JSON type, {@code n} (number), {@code b} (boolean) or {@code s} (anything
     * else, written as text); null for none.
     */
    static String cells(List<AttributeView> attributes) {
        StringBuilder sb = new StringBuilder("sku, name, description, price::text, quantity::text, active::text");
        for (AttributeView a : attributes)
            sb.append(", case jsonb_typeof(attributes->'")
                    .append(a.code())
                    .append("') when 'number' then 'n' when 'boolean' then 'b' else 's' end || ")
                    .append(a.textExpression());
        return sb.toString();
    }
}
