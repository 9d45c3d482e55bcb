package dev.sluice.imports;

import dev.sluice.attribute.AttributeJson;
import dev.sluice.attribute.AttributeValues;
import dev.sluice.common.FieldError;
import dev.sluice.common.SpreadsheetSafe;
import dev.sluice.product.ProductRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raw cells → a typed {@link ProductRow} or a {@link RejectedRow} listing every problem, with the
 * same rules as the products API ({@link ProductRules}). Only the file's columns count: a column the
 * file lacks is left to the writer, which leaves the stored value alone. An empty cell in a present
 * column clears the field: no description, no price, quantity 0, active true. Attribute columns
 * are typed by their attribute ({@link AttributeValues}); the row's values become one JSON object of
 * the non-empty ones (an empty cell clears: its key is absent, and the writer replaces every key the
 * file has a column for).
 */
public final class RowMapper {
    private final ColumnPlan plan;
    private final boolean keepRaw;

    public RowMapper(ColumnPlan plan) {
        this(plan, false);
    }

    /** {@code keepRaw}: keep every valid row's cells, for rows the writer may refuse (required attributes). */
    public RowMapper(ColumnPlan plan, boolean keepRaw) {
        this.plan = plan;
        this.keepRaw = keepRaw;
    }

    /** {@code cells} null means the record could not be parsed as CSV. */
    public MappedRow map(String[] cells, long line) {
        if (cells == null) {
            return new MappedRow.Rejected(new RejectedRow(
                    line,
                    List.of(),
                    List.of(new RejectedRow.Problem(
                            null, null, "malformed CSV (check quotes: a quote inside a field must be doubled)"))));
        }
        List<RejectedRow.Problem> problems = new ArrayList<>(0);
        // An exported file's neutralised cells ('=…) come back as they were.
        String sku = SpreadsheetSafe.restore(cell(cells, "sku"));
        String name = SpreadsheetSafe.restore(cell(cells, "name"));
        String description = SpreadsheetSafe.restore(cell(cells, "description"));
        BigDecimal price = null;
        String rawPrice = cell(cells, "price");
        if (rawPrice != null && !rawPrice.isBlank()) {
            try {
                price = new BigDecimal(rawPrice.strip());
            } catch (NumberFormatException e) {
                problems.add(problem("price", rawPrice, "is not a number"));
            }
        }
        Integer quantity = 0;
        String rawQuantity = cell(cells, "quantity");
        if (rawQuantity != null && !rawQuantity.isBlank()) {
            try {
                quantity = Integer.valueOf(rawQuantity.strip());
            } catch (NumberFormatException e) {
                quantity = null;
                problems.add(problem("quantity", rawQuantity, "is not a whole number"));
            }
        }
        Boolean active = true;
        String rawActive = cell(cells, "active");
        if (rawActive != null && !rawActive.isBlank()) {
            active = parseBoolean(rawActive);
            if (active == null) problems.add(problem("active", rawActive, "must be true/false, 1/0 or yes/no"));
        }
        // Without a name column, only rows for new SKUs need one, and only the writer knows which SKUs are new.
        boolean hasName = plan.index("name") >= 0;
        for (FieldError e : ProductRules.check(sku, hasName ? name : "-", description, price, quantity)) {
            problems.add(problem(e.field(), cell(cells, e.field()), e.message()));
        }
        String attrs = null;
        if (!plan.attributes().isEmpty()) {
            Map<String, Object> values = new TreeMap<>();
            for (ColumnPlan.AttributeColumn c : plan.attributes()) {
                String raw = c.index() < cells.length ? cells[c.index()] : null;
                try {
                    Object v = AttributeValues.convert(c.attribute(), SpreadsheetSafe.restore(raw));
                    if (v != null) values.put(c.attribute().code(), v);
                } catch (AttributeValues.BadValue bad) {
                    problems.add(new RejectedRow.Problem(plan.header().get(c.index()), raw, bad.getMessage()));
                }
            }
            attrs = AttributeJson.write(values);
        }
        if (!problems.isEmpty()) return new MappedRow.Rejected(new RejectedRow(line, Arrays.asList(cells), problems));
        ProductRow row = new ProductRow(
                sku.strip(),
                hasName ? name.strip() : null,
                description == null || description.isEmpty() ? null : description,
                price,
                quantity,
                active,
                attrs);
        return new MappedRow.Valid(row, line, hasName && !keepRaw ? null : Arrays.asList(cells));
    }

    private String cell(String[] cells, String field) {
        int i = plan.index(field);
        return i < 0 || i >= cells.length ? null : cells[i];
    }

    private RejectedRow.Problem problem(String field, String value, String reason) {
        int i = plan.index(field);
        String column = i < 0 ? field : plan.header().get(i);
        return new RejectedRow.Problem(column, value, reason);
    }

    static Boolean parseBoolean(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "t" -> Boolean.TRUE;
            case "false", "0", "no", "n", "f" -> Boolean.FALSE;
            default -> null;
        };
    }
}
