package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.common.Bom;
import dev.sluice.common.Workers;
import dev.sluice.spreadsheet.UnknownSheetException;
import dev.sluice.spreadsheet.XlsxException;
import dev.sluice.upload.ObjectStore;
import dev.sluice.upload.UploadRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * GET /api/uploads/{uploadId}/preview: the file's first rows as the import would read them, for CSV
 * and XLSX alike, so a client can offer a mapping (and a sheet) before starting. Reads the first
 * 64 KB of a CSV; an XLSX's directory, styles, the sheet's first rows and the shared strings they
 * refer to (ranged GETs, on a worker).
 */
@ApplicationScoped
public class UploadPreviews {
    static final int ROWS = 10;
    private final UploadRepository uploads;
    private final ObjectStore store;
    private final XlsxWorkbooks workbooks;
    private final Workers workers;

    public UploadPreviews(UploadRepository uploads, ObjectStore store, XlsxWorkbooks workbooks, Workers workers) {
        this.uploads = uploads;
        this.store = store;
        this.workbooks = workbooks;
        this.workers = workers;
    }

    @WithSession
    public Uni<UploadPreview> preview(UUID uploadId, String sheet) {
        return uploads.keyAndName(uploadId)
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("Upload", uploadId))
                .flatMap(kn -> store.size(kn[0])
                        .onItem()
                        .ifNull()
                        .failWith(() -> new ApiException(
                                422, "File not found", "Nothing has been uploaded for this upload yet"))
                        .flatMap(size -> store.head(kn[0], ImportStarter.HEADER_PROBE)
                                .flatMap(head -> {
                                    String format = ImportFormat.resolve(head, kn[1], null);
                                    return ImportFormat.XLSX.equals(format)
                                            ? workers.call(() -> xlsx(kn[0], size, sheet))
                                            : workers.call(() -> csv(head));
                                })));
    }

    private UploadPreview xlsx(String key, long size, String sheet) {
        XlsxWorkbooks.Peek peek;
        try {
            peek = workbooks.peek(key, size, sheet, ROWS);
        } catch (UnknownSheetException e) {
            throw new ApiException(422, "Unknown sheet", e.getMessage()).with("sheets", e.sheets());
        } catch (XlsxException e) {
            throw new ApiException(422, "Unreadable workbook", e.getMessage());
        }
        List<String> header = peek.header() == null ? List.of() : peek.header();
        return new UploadPreview(
                ImportFormat.XLSX,
                peek.sheets().stream()
                        .map(s -> new UploadPreview.SheetInfo(s.name(), s.index(), s.visible()))
                        .toList(),
                peek.sheet().name(),
                header,
                peek.rows(),
                MappingSuggestion.suggest(header),
                null,
                null);
    }

    static UploadPreview csv(byte[] head) {
        int from = Bom.length(head);
        int to = head.length;
        // A probe cut mid-file ends at its last whole line (and never mid-character).
        if (head.length >= ImportStarter.HEADER_PROBE) {
            for (int i = head.length - 1; i > from; i--) {
                if (head[i] == '\n') {
                    to = i + 1;
                    break;
                }
            }
        }
        ChunkDecoder decoder = new ChunkDecoder(StandardCharsets.UTF_8, false);
        String text = decoder.decode(Arrays.copyOfRange(head, from, to), 1);
        List<String> records = CsvChunkParser.splitRecords(text, null);
        if (records.isEmpty()) {
            return new UploadPreview(
                    ImportFormat.CSV,
                    null,
                    null,
                    List.of(),
                    List.of(),
                    java.util.Map.of(),
                    decoder.charset().name(),
                    ",");
        }
        CsvChunkParser.Header h = CsvChunkParser.readHeader(records.getFirst(), null);
        if (h == null) throw new ApiException(422, "No header", "The first line is not a CSV header");
        List<String> header =
                h.columns().stream().map(c -> c == null ? "" : c.strip()).toList();
        CsvChunkParser parser = new CsvChunkParser(h.delimiter());
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < records.size() && rows.size() < ROWS; i++) {
            List<String[]> parsed = parser.parse(records.get(i), 1);
            if (!parsed.isEmpty() && parsed.getFirst() != null) rows.add(Arrays.asList(parsed.getFirst()));
        }
        return new UploadPreview(
                ImportFormat.CSV,
                null,
                null,
                header,
                rows,
                MappingSuggestion.suggest(header),
                decoder.charset().name(),
                h.delimiter() == '\t' ? "tab" : String.valueOf(h.delimiter()));
    }
}
