package dev.sluice.imports;

import dev.sluice.spreadsheet.CellStyles;
import dev.sluice.spreadsheet.Formats;
import dev.sluice.spreadsheet.PrefixSharedStrings;
import dev.sluice.spreadsheet.SharedStrings;
import dev.sluice.spreadsheet.SheetReader;
import dev.sluice.spreadsheet.Workbook;
import dev.sluice.spreadsheet.XlsxLimits;
import dev.sluice.upload.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens workbooks in the bucket with the configured limits. Blocking: worker threads only. */
@ApplicationScoped
public class XlsxWorkbooks {
    private final ObjectStore store;
    private final XlsxConfig config;
    private final XlsxLimits limits;

    public XlsxWorkbooks(ObjectStore store, XlsxConfig config) {
        this.store = store;
        this.config = config;
        this.limits = new XlsxLimits(
                config.maxInflatedSize().asLongValue(),
                config.maxCompressionRatio(),
                XlsxLimits.DEFAULTS.ratioFloor(),
                XlsxLimits.DEFAULTS.maxDirectory(),
                config.tempDir().map(Path::of).orElse(null));
    }

    /** What a peek at a sheet's first rows found; {@code header} null when the sheet has no non-empty row. */
    public record Peek(
            List<Workbook.Sheet> sheets,
            Workbook.Sheet sheet,
            List<String> header,
            List<List<String>> rows,
            boolean partial) {}

    /**
     * The selected sheet's header and up to {@code maxRows} rows after it, with shared strings read
     * only as far as those rows refer (at most {@link #PEEK_STRINGS}); {@code partial} when a cell
     * refers further (its text is then not known here, and the run itself checks). Blocking.
     */
    public Peek peek(String key, long size, String sheetOption, int maxRows) {
        Workbook wb = open(key, size);
        Workbook.Sheet sheet = wb.select(sheetOption);
        CellStyles styles = wb.styles();
        List<List<String>> rows = new ArrayList<>();
        List<String> header = null;
        try (SharedStrings strings = wb.firstStrings(PEEK_STRINGS);
                SheetReader reader = wb.rows(sheet, strings, styles)) {
            SheetReader.Row first = reader.next();
            if (first != null) header = List.of(first.cells());
            // No read past the last row wanted: a header check reads the header row only.
            while (first != null && rows.size() < maxRows) {
                SheetReader.Row r = reader.next();
                if (r == null) break;
                rows.add(List.of(r.cells()));
            }
        } catch (PrefixSharedStrings.TooFar far) {
            return new Peek(wb.sheets(), sheet, header, rows, true);
        }
        return new Peek(wb.sheets(), sheet, header, rows, false);
    }

    /** Shared strings a peek may read: enough for the first rows of any sensible sheet. */
    static final int PEEK_STRINGS = 100_000;

    /** The workbook at {@code key} ({@code size} bytes): its directory and small parts, read with ranged GETs. */
    public Workbook open(String key, long size) {
        ObjectRanges source = new ObjectRanges(store, key, size, config.readTimeout());
        byte[] head = source.read(0, Formats.PROBE);
        if (Formats.sniff(head) == Formats.Kind.OLE2) throw Formats.ole2(source);
        return Workbook.open(source, limits);
    }
}
