package dev.sluice.product;

import dev.sluice.attribute.AttributeView;
import java.util.List;

/**
 * The select lists of an export, over {@code products}. The export's cells are made by PostgreSQL:
 * read as typed values (a UUID, two timestamps, a BigDecimal, the attributes as JSON, parsed into a
 * map) the rows cost the event loop more than writing the file did (docs/benchmarks.md, "Export"),
 * while PostgreSQL prints them as it does for {@code COPY}. Attribute codes are checked against
 * {@code [a-z][a-z0-9_]*} when defined, so they are safe to splice.
 */
final class ProductExportSql {
    /** = + - @ tab CR: the first characters that make a spreadsheet read text as a formula (SpreadsheetSafe). */
    private static final String RISKY_FIRST = "ascii(%1$s) in (61, 43, 45, 64, 9, 13)";
    /** , " LF CR: what makes a CSV field need quotes (CsvText). strpos is cheaper here than a regular expression. */
    private static final String NEEDS_QUOTES =
            "(strpos(%1$s, ',') > 0 or strpos(%1$s, '\"') > 0 or strpos(%1$s, chr(10)) > 0 or strpos(%1$s, chr(13)) > 0)";

    private ProductExportSql() {}

    /**
     * One column: the product's CSV line, with its line end, as {@code ProductExport.COLUMNS} and then
     * one column per attribute; text neutralised as {@code SpreadsheetSafe.neutralise} does, then
     * quoted as {@code CsvText.line} does, so the file is the one the Java encoder wrote.
     */
    static String csvLine(List<AttributeView> attributes) {
        StringBuilder sb = new StringBuilder("concat(")
                .append(csvText("sku"))
                .append(", ',', ")
                .append(csvText("name"))
                .append(", ',', ")
                .append(csvText("description"))
                .append(", ',', price, ',', quantity, ',', case when active then 'true' else 'false' end");
        for (AttributeView a : attributes) {
            String json = "attributes->'" + a.code() + "'", text = a.textExpression();
            // Numbers and booleans as jsonb prints them; strings (and anything else) as text.
            sb.append(", ',', case jsonb_typeof(")
                    .append(json)
                    .append(") when 'number' then ")
                    .append(text)
                    .append(" when 'boolean' then ")
                    .append(text)
                    .append(" else ")
                    .append(csvText(text))
                    .append(" end");
        }
        return sb.append(", chr(10))").toString(); // concat() prints a null as ''
    }

    /** A text CSV field: neutralised, then quoted if it must be; null stays null. */
    private static String csvText(String v) {
        String risky = RISKY_FIRST.formatted(v), quote = NEEDS_QUOTES.formatted(v);
        return "case when " + quote + " then '\"' || case when " + risky + " then '''' else '' end || replace(" + v
                + ", '\"', '\"\"') || '\"' when " + risky + " then '''' || " + v + " else " + v + " end";
    }

    /**
     * The XLSX cells as text: sku, name, description, price, quantity, active, then per attribute its
     * value prefixed by its JSON type, {@code n} (number), {@code b} (boolean) or {@code s} (anything
     * else, written as text); null for none.
     */
    static String xlsxCells(List<AttributeView> attributes) {
        StringBuilder sb = new StringBuilder("sku, name, description, price::text, quantity::text, active::text");
        for (AttributeView a : attributes)
            sb.append(", case jsonb_typeof(attributes->'")
                    .append(a.code())
                    .append("') when 'number' then 'n' when 'boolean' then 'b' else 's' end || ")
                    .append(a.textExpression());
        return sb.toString();
    }
}
