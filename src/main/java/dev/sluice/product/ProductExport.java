package dev.sluice.product;

import dev.sluice.common.CsvText;
import dev.sluice.common.SpreadsheetSafe;
import dev.sluice.common.Workers;
import dev.sluice.common.XlsxStream;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the catalog out as CSV or XLSX. Products are read a page at a time by keyset (each page
 * its own short session), encoded on a worker, and written before the next page is read: memory is
 * one page whatever the catalog's size. The CSV has the import's columns, so it re-imports as is.
 */
@ApplicationScoped
public class ProductExport {
    static final int PAGE = 1000;
    static final List<String> COLUMNS = List.of("sku", "name", "description", "price", "quantity", "active");
    private final ProductRepository products;
    private final Workers workers;

    public ProductExport(ProductRepository products, Workers workers) {
        this.products = products;
        this.workers = workers;
    }

    public Multi<byte[]> csv(ProductQuery filters) {
        Multi<byte[]> header =
                Multi.createFrom().item(() -> CsvText.line(COLUMNS).getBytes(StandardCharsets.UTF_8));
        Multi<byte[]> rows = pages(filters)
                .onItem()
                .transformToUniAndConcatenate(page -> workers.call(() -> {
                    StringBuilder sb = new StringBuilder(page.size() * 96);
                    List<String> cells = new ArrayList<>(COLUMNS.size());
                    for (Product p : page) {
                        cells.clear();
                        cells.add(SpreadsheetSafe.neutralise(p.sku));
                        cells.add(SpreadsheetSafe.neutralise(p.name));
                        cells.add(SpreadsheetSafe.neutralise(p.description));
                        cells.add(p.price == null ? "" : p.price.toPlainString());
                        cells.add(Integer.toString(p.quantity));
                        cells.add(Boolean.toString(p.active));
                        sb.append(CsvText.line(cells));
                    }
                    return sb.toString().getBytes(StandardCharsets.UTF_8);
                }));
        return Multi.createBy().concatenating().streams(header, rows);
    }

    public Multi<byte[]> xlsx(ProductQuery filters) {
        return Multi.createFrom().deferred(() -> {
            XlsxStream[] sheet = new XlsxStream[1];
            Multi<byte[]> start = Multi.createFrom().uni(workers.call(() -> {
                sheet[0] = new XlsxStream("Products", COLUMNS);
                return sheet[0].drain();
            }));
            Multi<byte[]> rows = pages(filters)
                    .onItem()
                    .transformToUniAndConcatenate(page -> workers.call(() -> {
                        for (Product p : page)
                            sheet[0].row(p.sku, p.name, p.description, p.price, p.quantity, p.active);
                        return sheet[0].drain();
                    }));
            Multi<byte[]> end =
                    Multi.createFrom().uni(Uni.createFrom().deferred(() -> workers.call(() -> sheet[0].finish())));
            return Multi.createBy().concatenating().streams(start, rows, end);
        });
    }

    /** The matching products in list order, a page at a time. */
    Multi<List<Product>> pages(ProductQuery filters) {
        ProductQuery first =
                new ProductQuery(filters.q(), filters.sku(), filters.active(), 0, PAGE, filters.sort(), null);
        ProductQuery[] next = {first};
        return Multi.createBy()
                .repeating()
                .uni(() -> Panache.withSession(() -> products.findPage(next[0])).map(rows -> {
                    boolean more = rows.size() > PAGE;
                    List<Product> page = more ? rows.subList(0, PAGE) : rows;
                    next[0] = more
                            ? new ProductQuery(
                                    first.q(),
                                    first.sku(),
                                    first.active(),
                                    0,
                                    PAGE,
                                    first.sort(),
                                    ProductCursor.after(page.getLast(), first.sort()))
                            : null;
                    return page;
                }))
                .whilst(page -> next[0] != null)
                .filter(page -> !page.isEmpty());
    }
}
