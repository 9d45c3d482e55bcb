package dev.sluice.product;

import dev.sluice.attribute.AttributeView;
import dev.sluice.common.CsvText;
import dev.sluice.common.Workers;
import dev.sluice.common.XlsxStream;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Streams the catalog out as CSV or XLSX. Products come from one cursor a page at a time as the text
 * PostgreSQL prints for each cell (ProductExportSql), each page is encoded on a worker while the next
 * is read, and later pages are fetched only as the response drains: memory is a few pages whatever
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
        int width = columns.size();
        Multi<byte[]> rows = concurrentlyInOrder(
                pages(filters, attributes),
                page -> workers.call(() -> {
                    StringBuilder sb = new StringBuilder(page.size() * 96);
                    String[] cells = new String[width];
                    for (io.vertx.sqlclient.Row row : rows(page)) csvLine(sb, cells(row, cells));
                    return sb.toString().getBytes(StandardCharsets.UTF_8);
                }));
        return Multi.createBy().concatenating().streams(header, rows);
    }

    /** One product from {@link ProductExportSql#cells}: text neutralised and quoted, numbers and booleans as printed. */
    private static void csvLine(StringBuilder sb, String[] cells) {
        CsvText.appendNeutralised(sb, cells[0]).append(',');
        CsvText.appendNeutralised(sb, cells[1]).append(',');
        CsvText.appendNeutralised(sb, cells[2]).append(',');
        if (cells[3] != null) sb.append(cells[3]);
        sb.append(',').append(cells[4]).append(',').append(cells[5]);
        for (int i = 6; i < cells.length; i++) {
            sb.append(',');
            String v = cells[i];
            if (v == null) continue;
            if (v.charAt(0) == 's') CsvText.appendNeutralised(sb, v.substring(1));
            else sb.append(v, 1, v.length()); // a number or a boolean: nothing to quote or neutralise
        }
        sb.append('\n');
    }

    public Multi<byte[]> xlsx(ProductQuery filters, List<AttributeView> attributes) {
        List<String> columns = columns(attributes);
        return Multi.createFrom().deferred(() -> {
            XlsxStream[] sheet = new XlsxStream[1];
            Multi<byte[]> start = Multi.createFrom().uni(workers.call(() -> {
                sheet[0] = new XlsxStream("Products", columns);
                return sheet[0].drain();
            }));
            String[] cells = new String[columns.size()];
            Multi<byte[]> rows = inOrder(
                    pages(filters, attributes),
                    page -> workers.call(() -> {
                        for (io.vertx.sqlclient.Row row : rows(page)) xlsxRow(sheet[0], cells(row, cells));
                        return sheet[0].drain();
                    }));
            Multi<byte[]> end =
                    Multi.createFrom().uni(Uni.createFrom().deferred(() -> workers.call(() -> sheet[0].finish())));
            return Multi.createBy().concatenating().streams(start, rows, end);
        });
    }

    /** One product from {@link ProductExportSql#cells}: text, numbers and a boolean, then tagged attributes. */
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
     * The matching products in list order, as the texts of {@link ProductExportSql#cells}, in pages of
     * {@link #PAGE} read from one cursor (see ProductReads.pages).
     */
    private Multi<RowSet<Row>> pages(ProductQuery filters, List<AttributeView> attributes) {
        return reads.pages(filters, ProductExportSql.cells(attributes), PAGE);
    }

    /**
     * Each page encoded on a worker, in file order, one at a time. The next two pages are read while
     * one is encoded ({@link #readAhead}), so PostgreSQL produces them meanwhile instead of waiting
     * for the encoder. For encoders with state from page to page (the XLSX sheet).
     */
    private static Multi<byte[]> inOrder(Multi<RowSet<Row>> pages, Function<RowSet<Row>, Uni<byte[]>> encode) {
        return readAhead(pages).onItem().<byte[]>transformToUniAndConcatenate(encode::apply);
    }

    /**
     * Like {@link #inOrder}, but each page's encoding starts as the page arrives, so up to three
     * pages are encoded at once on the worker pool; the results still leave in file order, the
     * concatenation waiting for each in turn. For encoders without state between pages (CSV lines).
     * A failure reaches the response through the concatenation; after a cancel, a page already being
     * encoded finishes on its worker and is dropped.
     */
    private static Multi<byte[]> concurrentlyInOrder(
            Multi<RowSet<Row>> pages, Function<RowSet<Row>, Uni<byte[]>> encode) {
        Multi<Uni<byte[]>> started = pages.map(page -> {
            Uni<byte[]> encoding = encode.apply(page).memoize().indefinitely();
            encoding.subscribe().with(bytes -> {}, failure -> {});
            return encoding;
        });
        return readAhead(started).onItem().transformToUniAndConcatenate(encoding -> encoding);
    }

    /**
     * Asks for two items ahead of the one being consumed and holds them: a bounded read-ahead.
     * On the calling thread (the cursor's event loop): no hop, only the buffer.
     */
    private static <T> Multi<T> readAhead(Multi<T> items) {
        return items.emitOn(Runnable::run, 2);
    }

    /** The page's rows without the Mutiny wrapper the bindings would allocate for each. */
    @SuppressWarnings("unchecked")
    private static Iterable<io.vertx.sqlclient.Row> rows(RowSet<Row> page) {
        return (io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>) page.getDelegate();
    }

    /** The row's cells into {@code cells}, reused row after row: the encoders copy what they keep. */
    private static String[] cells(io.vertx.sqlclient.Row row, String[] cells) {
        for (int i = 0; i < cells.length; i++) cells[i] = row.getString(i);
        return cells;
    }
}
