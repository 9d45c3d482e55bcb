package dev.sluice.product;

import dev.sluice.attribute.AttributeView;
import dev.sluice.common.CsvText;
import dev.sluice.common.SpreadsheetSafe;
import dev.sluice.common.Workers;
import dev.sluice.common.XlsxStream;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the catalog out as CSV or XLSX. Products come from one cursor a page at a time, each page
 * is encoded on a worker, and the next page is fetched only as the response drains: memory is a few
 * pages whatever the catalog's size. The CSV has the import's columns, so it re-imports as is.
 */
@ApplicationScoped
public class ProductExport {
    static final int PAGE = 1000;
    static final List<String> COLUMNS = List.of("sku", "name", "description", "price", "quantity", "active");
    private final ProductReads reads;
    private final Workers workers;

    public ProductExport(ProductReads reads, Workers workers) {
        this.reads = reads;
        this.workers = workers;
    }

    /** The columns: the core fields, then one per attribute headed by its code (which the import matches). */
    static List<String> columns(List<AttributeView> attributes) {
        List<String> out = new ArrayList<>(COLUMNS);
        attributes.forEach(a -> out.add(a.code()));
        return out;
    }

    public Multi<byte[]> csv(ProductQuery filters, List<AttributeView> attributes) {
        List<String> columns = columns(attributes);
        Multi<byte[]> header =
                Multi.createFrom().item(() -> CsvText.line(columns).getBytes(StandardCharsets.UTF_8));
        Multi<byte[]> rows = pages(filters)
                .onItem()
                .transformToUniAndConcatenate(page -> workers.call(() -> {
                    StringBuilder sb = new StringBuilder(page.size() * 96);
                    List<String> cells = new ArrayList<>(columns.size());
                    for (ProductView p : page) {
                        cells.clear();
                        cells.add(SpreadsheetSafe.neutralise(p.sku()));
                        cells.add(SpreadsheetSafe.neutralise(p.name()));
                        cells.add(SpreadsheetSafe.neutralise(p.description()));
                        cells.add(p.price() == null ? "" : p.price().toPlainString());
                        cells.add(Integer.toString(p.quantity()));
                        cells.add(Boolean.toString(p.active()));
                        for (AttributeView a : attributes)
                            cells.add(csvCell(p.attributes().get(a.code())));
                        sb.append(CsvText.line(cells));
                    }
                    return sb.toString().getBytes(StandardCharsets.UTF_8);
                }));
        return Multi.createBy().concatenating().streams(header, rows);
    }

    private static String csvCell(Object v) {
        return switch (v) {
            case null -> "";
            case BigDecimal d -> d.toPlainString();
            case String s -> SpreadsheetSafe.neutralise(s);
            default -> v.toString();
        };
    }

    public Multi<byte[]> xlsx(ProductQuery filters, List<AttributeView> attributes) {
        List<String> columns = columns(attributes);
        return Multi.createFrom().deferred(() -> {
            XlsxStream[] sheet = new XlsxStream[1];
            Multi<byte[]> start = Multi.createFrom().uni(workers.call(() -> {
                sheet[0] = new XlsxStream("Products", columns);
                return sheet[0].drain();
            }));
            Multi<byte[]> rows = pages(filters)
                    .onItem()
                    .transformToUniAndConcatenate(page -> workers.call(() -> {
                        Object[] cells = new Object[columns.size()];
                        for (ProductView p : page) {
                            cells[0] = p.sku();
                            cells[1] = p.name();
                            cells[2] = p.description();
                            cells[3] = p.price();
                            cells[4] = p.quantity();
                            cells[5] = p.active();
                            for (int i = 0; i < attributes.size(); i++)
                                cells[6 + i] = xlsxCell(
                                        p.attributes().get(attributes.get(i).code()));
                            sheet[0].row(cells);
                        }
                        return sheet[0].drain();
                    }));
            Multi<byte[]> end =
                    Multi.createFrom().uni(Uni.createFrom().deferred(() -> workers.call(() -> sheet[0].finish())));
            return Multi.createBy().concatenating().streams(start, rows, end);
        });
    }

    /** Dates as their ISO text, integers as numbers (XLSX numbers are doubles: a long stays exact up to 2^53). */
    private static Object xlsxCell(Object v) {
        return v instanceof Long l ? BigDecimal.valueOf(l) : v;
    }

    /**
     * The matching products in list order, in pages of {@link #PAGE} for the encoder, read from one
     * cursor (see ProductReads.stream): the reads overlap the encoding, and PostgreSQL plans the
     * query once instead of once per page.
     */
    Multi<List<ProductView>> pages(ProductQuery filters) {
        return reads.stream(filters, PAGE).group().intoLists().of(PAGE);
    }
}
