package dev.sluice.imports;

import dev.sluice.common.UuidV7;
import java.util.List;
import java.util.UUID;

/**
 * A batch's valid rows as the column arrays {@link ProductBatchWriter}'s statement takes, with each
 * row's line (the look-ahead's key) and a new UUIDv7 per row for the rows that turn out to be
 * inserts. {@code present} names the product fields the file has columns for: the writer sets only
 * those. Built on the parsing worker with the batch: for 5,000 rows the arrays and ids take a few
 * milliseconds, which on an event loop would hold up every API request that shares it.
 */
public record ProductColumns(String[] sku, String[] name, String[] description, String[] price, Integer[] quantity,
                             Boolean[] active, UUID[] ids, Long[] lines, List<String> present) {

    public static ProductColumns of(List<MappedRow.Valid> rows, List<String> present) {
        int n = rows.size();
        String[] sku = new String[n], name = new String[n], description = new String[n], price = new String[n];
        Integer[] quantity = new Integer[n];
        Boolean[] active = new Boolean[n];
        UUID[] ids = new UUID[n];
        Long[] lines = new Long[n];
        for (int i = 0; i < n; i++) {
            ProductRow r = rows.get(i).row();
            sku[i] = r.sku();
            name[i] = r.name();
            description[i] = r.description();
            price[i] = r.price() == null ? null : r.price().toPlainString();
            quantity[i] = r.quantity();
            active[i] = r.active();
            ids[i] = UuidV7.next();
            lines[i] = rows.get(i).line();
        }
        return new ProductColumns(sku, name, description, price, quantity, active, ids, lines, present);
    }

    public int size() {
        return sku.length;
    }
}
