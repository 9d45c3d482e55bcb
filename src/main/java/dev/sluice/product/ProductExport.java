package dev.sluice.product;

import dev.sluice.attribute.AttributeView;
import dev.sluice.common.CsvText;
import dev.sluice.common.Workers;
import dev.sluice.common.XlsxStream;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Streams the catalog out as CSV or XLSX. Products come from one cursor a page at a time as text that
 * PostgreSQL prints (ProductExportSql: whole CSV lines, or XLSX cells), each page is encoded on a
 * worker, and the next page is fetched only as the response drains: memory is a few pages whatever
 * the catalog's size. The CSV has the import's columns, so it re-imports as is.
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
        // PostgreSQL writes each line (ProductExportSql.csvLine); a worker joins a page of them.
        Multi<byte[]> rows = pages(filters, ProductExportSql.csvLine(attributes), row -> row.getString(0))
                .onItem()
                .transformToUniAndConcatenate(lines -> workers.call(() -> {
                    int length = 0;
                    for (String line : lines) length += line.length();
                    StringBuilder sb = new StringBuilder(length);
                    for (String line : lines) sb.append(line);
                    return sb.toString().getBytes(StandardCharsets.UTF_8);
                }));
        return Multi.createBy().concatenating().streams(header, rows);
    }

    public Multi<byte[]> xlsx(ProductQuery filters, List<AttributeView> attributes) {
        List<String> columns = columns(attributes);
        int width = columns.size();
        return Multi.createFrom().deferred(() -> {
            XlsxStream[] sheet = new XlsxStream[1];
            Multi<byte[]> start = Multi.createFrom().uni(workers.call(() -> {
                sheet[0] = new XlsxStream("Products", columns);
                return sheet[0].drain();
            }));
            Multi<byte[]> rows = pages(filters, ProductExportSql.xlsxCells(attributes), row -> {
                        String[] cells = new String[width];
                        for (int i = 0; i < width; i++) cells[i] = row.getString(i);
                        return cells;
                    })
                    .onItem()
                    .transformToUniAndConcatenate(page -> workers.call(() -> {
                        for (String[] cells : page) xlsxRow(sheet[0], cells);
                        return sheet[0].drain();
                    }));
            Multi<byte[]> end =
                    Multi.createFrom().uni(Uni.createFrom().deferred(() -> workers.call(() -> sheet[0].finish())));
            return Multi.createBy().concatenating().streams(start, rows, end);
        });
    }

    /** One product from {@link ProductExportSql#xlsxCells}: text, numbers and a boolean, then tagged attributes. */
    private static void xlsxRow(XlsxStream sheet, String[] cells) {
        sheet.startRow();
        sheet.text(cells[0]);
        sheet.text(cells[1]);
        sheet.text(cells[2]);
        sheet.number(cells[3]);
        sheet.number(cells[4]);
        sheet.bool(cells[5].equals("true"));
        for (int i = 6; i < cells.length; i++) {
            String v = cells[i];
            if (v == null) sheet.skip();
            else if (v.charAt(0) == 'n') sheet.number(v.substring(1));
            else if (v.charAt(0) == 'b') sheet.bool(v.equals("btrue"));
            else sheet.text(v.substring(1)); // dates as their ISO text
        }
        sheet.endRow();
    }

    /**
     * The matching products in list order, as {@code selectList} mapped by {@code map}, in pages of
     * {@link #PAGE} for the encoder, read from one cursor (see ProductReads.stream): the reads overlap
     * the encoding, and PostgreSQL plans the query once instead of once per page.
     */
    private <T> Multi<List<T>> pages(ProductQuery filters, String selectList, Function<Row, T> map) {
        return reads.stream(filters, selectList, PAGE, map).group().intoLists().of(PAGE);
    }
}
