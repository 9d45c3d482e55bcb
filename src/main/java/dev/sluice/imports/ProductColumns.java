package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.Json;
import dev.sluice.common.UuidV7;
import java.util.List;
import java.util.UUID;

/**
 * A batch's valid rows as the column arrays the scan stages, with each row's line and a new UUIDv7 per
 * row for the rows that turn out to create a product (time-ordered keys keep inserts at the index's
 * edge). {@code present} names the product fields the file has columns for: the write phase sets only
 * those. {@code raw} holds each row's cells as JSON only when the file has no name column, for the rows
 * the write phase refuses. {@code attrs} holds each row's attribute values (JSON) when the file has
 * attribute columns. Built on the parsing worker with the batch: for 5,000 rows the arrays and ids
 * take a few milliseconds, which on an event loop would hold up every API request that shares it.
 */
public record ProductColumns(
        String[] sku,
        String[] name,
        String[] description,
        String[] price,
        Integer[] quantity,
        Boolean[] active,
        UUID[] ids,
        Long[] lines,
        String[] raw,
        String[] attrs,
        List<String> present) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ProductColumns of(List<MappedRow.Valid> rows, List<String> present) {
        int n = rows.size();
        String[] sku = new String[n], name = new String[n], description = new String[n], price = new String[n];
        String[] raw = new String[n], attrs = new String[n];
        Integer[] quantity = new Integer[n];
        Boolean[] active = new Boolean[n];
        UUID[] ids = new UUID[n];
        Long[] lines = new Long[n];
        for (int i = 0; i < n; i++) {
            MappedRow.Valid v = rows.get(i);
            ProductRow r = v.row();
            sku[i] = r.sku();
            name[i] = r.name();
            description[i] = r.description();
            price[i] = r.price() == null ? null : r.price().toPlainString();
            quantity[i] = r.quantity();
            active[i] = r.active();
            ids[i] = UuidV7.next();
            lines[i] = v.line();
            raw[i] = v.raw() == null ? null : json(v.raw());
            attrs[i] = r.attrs();
        }
        return new ProductColumns(sku, name, description, price, quantity, active, ids, lines, raw, attrs, present);
    }

    public int size() {
        return sku.length;
    }

    private static String json(List<String> cells) {
        try {
            // jsonb can't hold NUL: kept as U+FFFD, as in the error report.
            return Json.pgSafe(JSON.writeValueAsString(cells));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
