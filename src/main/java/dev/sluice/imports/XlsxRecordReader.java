package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.Json;
import dev.sluice.spreadsheet.CellRef;
import dev.sluice.spreadsheet.CellStyles;
import dev.sluice.spreadsheet.SharedStrings;
import dev.sluice.spreadsheet.SheetReader;
import dev.sluice.spreadsheet.Workbook;
import dev.sluice.spreadsheet.XlsxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The parser stage for XLSX: the chosen worksheet's rows, a batch at a time, as the same records
 * the CSV parser makes (cells, and the sheet's row number as the line). The header is the first
 * non-empty row. Opening reads the ZIP directory with ranged GETs and spills the shared strings to
 * disk; then the sheet entry streams and inflates as rows are asked for. Blocking: every call runs on
 * a worker thread, one at a time.
 * <p>
 * A compressed sheet can't be entered mid-stream, so a resumed scan reads the sheet from its start
 * and skips every row up to the checkpoint's line: those are staged already, in committed batches,
 * and the rest is staged exactly once, as in an uninterrupted run.
 */
final class XlsxRecordReader implements RecordReader, AutoCloseable {
    private final Supplier<Workbook> opener;
    private final String sheetOption;
    private final int batchSize;
    private final long skipThrough;
    private final long size;
    private final ObjectMapper json;
    private SharedStrings strings;
    private SheetReader rows;
    private List<String> header;
    private String notes;
    private long lastLine;
    private boolean done;
    private boolean closed;

    /** {@code skipThrough}: the checkpoint's line (0 from the start); rows up to it are not returned again. */
    XlsxRecordReader(
            Supplier<Workbook> opener,
            String sheetOption,
            int batchSize,
            long skipThrough,
            long size,
            ObjectMapper json) {
        this.opener = opener;
        this.sheetOption = sheetOption;
        this.batchSize = batchSize;
        this.skipThrough = skipThrough;
        this.size = size;
        this.json = json;
        this.lastLine = skipThrough;
    }

    /** The next batch of records; the one with {@code last} set ends the sheet. */
    synchronized Parsed next() {
        if (closed) throw new RunSignal.Cancelled();
        try {
            if (rows == null) open();
            List<String[]> cells = new ArrayList<>(Math.min(batchSize, 1024));
            long[] lines = new long[batchSize];
            RejectedRow[] rejected = null;
            int n = 0;
            while (n < batchSize && !done) {
                SheetReader.Row r = rows.next();
                if (r == null) {
                    done = true;
                    break;
                }
                if (r.number() <= skipThrough) continue;
                if (!r.errors().isEmpty()) {
                    if (rejected == null) rejected = new RejectedRow[batchSize];
                    rejected[n] = errorRow(r);
                }
                cells.add(r.cells());
                lines[n++] = r.number();
                lastLine = r.number();
            }
            return new Parsed(
                    new CsvRecordReader.Records(cells, Arrays.copyOf(lines, n)),
                    rejected == null ? null : Arrays.copyOf(rejected, n),
                    done ? size : Math.min(rows.position(), size - 1),
                    lastLine,
                    done);
        } catch (XlsxException e) {
            throw new ImportFailure(e.getMessage());
        }
    }

    private void open() {
        Workbook wb = opener.get();
        Workbook.Sheet sheet = wb.select(sheetOption);
        CellStyles styles = wb.styles();
        strings = wb.spilledStrings();
        rows = wb.rows(sheet, strings, styles);
        if (wb.sheets().size() > 1)
            notes = "Sheet '" + sheet.name() + "' (" + sheet.index() + " of "
                    + wb.sheets().size() + ")";
        SheetReader.Row first = rows.next();
        if (first == null) throw new ImportFailure("The sheet '" + sheet.name() + "' is empty: it needs a header row");
        header = List.copyOf(Arrays.asList(first.cells()));
        if (lastLine < first.number()) lastLine = first.number();
    }

    /** A row with error cells is refused whole, each error naming its cell. */
    private RejectedRow errorRow(SheetReader.Row r) {
        List<RejectedRow.Problem> problems = new ArrayList<>(r.errors().size());
        for (SheetReader.CellError e : r.errors()) {
            String column =
                    e.column() < header.size() && !header.get(e.column()).isBlank()
                            ? header.get(e.column())
                            : CellRef.letters(e.column());
            problems.add(new RejectedRow.Problem(
                    column, e.value(), "cell " + e.ref() + " holds an error (" + e.value() + ")"));
        }
        return new RejectedRow(r.number(), Arrays.asList(r.cells()), problems);
    }

    @Override
    public RejectedRow locate(RejectedRow row) {
        List<RejectedRow.Problem> located = new ArrayList<>(row.problems().size());
        for (RejectedRow.Problem p : row.problems()) {
            int i = p.column() == null || header == null ? -1 : header.indexOf(p.column());
            located.add(
                    i < 0
                            ? p
                            : new RejectedRow.Problem(
                                    p.column(), p.value(), "cell " + CellRef.of(i, row.line()) + " " + p.reason()));
        }
        return new RejectedRow(row.line(), row.raw(), located);
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public ImportSql.ParseState state() {
        try {
            String headerJson = header == null ? null : Json.pgSafe(json.writeValueAsString(header));
            return new ImportSql.ParseState(null, null, headerJson, notes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops the sheet's stream and the spilled strings (idempotent; waits for a batch being read). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (rows != null) rows.close();
        if (strings != null) strings.close();
    }
}
