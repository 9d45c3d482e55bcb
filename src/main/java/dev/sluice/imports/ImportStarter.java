package dev.sluice.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.attribute.AttributeCatalog;
import dev.sluice.attribute.AttributeService;
import dev.sluice.attribute.Attributes;
import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.common.ApiException;
import dev.sluice.common.Bom;
import dev.sluice.common.Json;
import dev.sluice.common.Text;
import dev.sluice.common.Times;
import dev.sluice.common.UuidV7;
import dev.sluice.common.Workers;
import dev.sluice.history.HistoryConfig;
import dev.sluice.spreadsheet.UnknownSheetException;
import dev.sluice.spreadsheet.XlsxException;
import dev.sluice.upload.ObjectStore;
import dev.sluice.upload.UploadConfig;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts an import of a file already in the bucket, however it got there (uploaded first, named by
 * its key, or streamed in with the request): size limit → header check → job → runner woken. The
 * one path every POST /api/imports takes, so each gets the same checks and answers.
 */
@ApplicationScoped
public class ImportStarter {
    /** Bytes read from the start of a file to check its header before accepting the import. */
    static final int HEADER_PROBE = 64 * 1024;

    private final ImportJobRepository jobs;
    private final ObjectStore store;
    private final ImportRunner runner;
    private final UploadConfig uploadConfig;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final AttributeCatalog catalog;
    private final AttributeService attributes;
    private final XlsxWorkbooks workbooks;
    private final Workers workers;
    private final HistoryConfig history;

    public ImportStarter(
            ImportJobRepository jobs,
            ObjectStore store,
            ImportRunner runner,
            UploadConfig uploadConfig,
            ObjectMapper json,
            AuditLog audit,
            AttributeCatalog catalog,
            AttributeService attributes,
            XlsxWorkbooks workbooks,
            Workers workers,
            HistoryConfig history) {
        this.history = history;
        this.jobs = jobs;
        this.store = store;
        this.runner = runner;
        this.uploadConfig = uploadConfig;
        this.json = json;
        this.audit = audit;
        this.catalog = catalog;
        this.attributes = attributes;
        this.workbooks = workbooks;
        this.workers = workers;
    }

    /** Checks the object of {@code size} bytes at {@code key}, creates its job and wakes the runner. */
    public Uni<ImportJobView> start(String key, String filename, long size, ImportOptions options, Actor actor) {
        return Uni.createFrom()
                .voidItem()
                .invoke(() -> checkSize(size))
                .flatMap(x -> store.head(key, HEADER_PROBE))
                .flatMap(bytes -> catalog.fresh().flatMap(attrs -> checked(bytes, key, filename, size, options, attrs)))
                .flatMap(checked -> createAttributes(checked.unmapped(), checked.options(), actor)
                        .map(unmapped -> new Checked(checked.options(), unmapped)))
                .flatMap(checked -> create(key, filename, size, checked.options(), actor, checked.unmapped()))
                .invoke(x -> runner.wake());
    }

    /** The options with the file's format, and the columns that feed nothing, once the header passed the check. */
    private record Checked(ImportOptions options, List<UnmappedColumn> unmapped) {}

    /** Checks the header for the file's format (an XLSX's on a worker: ranged GETs and inflation). */
    private Uni<Checked> checked(
            byte[] head, String key, String filename, long size, ImportOptions options, Attributes attrs) {
        ImportOptions resolved = options.withFormat(ImportFormat.resolve(head, filename, options.format()));
        if (!resolved.xlsx()) return Uni.createFrom().item(new Checked(resolved, checkHeader(head, resolved, attrs)));
        return workers.call(() -> new Checked(resolved, checkXlsxHeader(key, size, resolved, attrs)));
    }

    /**
     * unmapped=create: a text attribute for each column that feeds nothing, before the job exists, so
     * the run maps the column to it (by its label, the header). A dry run creates none: it lists them.
     */
    private Uni<List<UnmappedColumn>> createAttributes(
            List<UnmappedColumn> unmapped, ImportOptions options, Actor actor) {
        if (!options.createUnmapped() || options.dryRun() || unmapped.isEmpty())
            return Uni.createFrom().item(unmapped);
        return attributes
                .createText(unmapped.stream().map(UnmappedColumn::name).toList(), actor)
                .map(codes -> unmapped.stream()
                        .map(c -> new UnmappedColumn(c.name(), c.sample(), codes.get(c.name())))
                        .toList());
    }

    /**
     * 422 for an unreadable workbook, an unknown sheet (listing the sheets), an empty sheet or missing
     * columns. Returns the columns that feed nothing, each with a sample from the first rows.
     */
    List<UnmappedColumn> checkXlsxHeader(String key, long size, ImportOptions options, Attributes attrs) {
        XlsxWorkbooks.Peek peek;
        try {
            peek = workbooks.peek(key, size, options.sheet(), SAMPLE_ROWS);
        } catch (UnknownSheetException e) {
            throw new ApiException(422, "Unknown sheet", e.getMessage()).with("sheets", e.sheets());
        } catch (XlsxException e) {
            throw new ApiException(422, "Unreadable workbook", e.getMessage());
        }
        if (peek.header() == null) {
            if (peek.partial()) return List.of(); // the header refers far into the shared strings: the run checks it
            throw new ApiException(
                            422,
                            "Empty sheet",
                            "The sheet '" + peek.sheet().name()
                                    + "' is empty: it needs a header row naming its columns")
                    .with("columnsFound", List.of())
                    .with("columnsMissing", ColumnPlan.REQUIRED);
        }
        ColumnPlan plan = ColumnPlan.resolve(peek.header(), options.mapping(), attrs);
        return unmapped(plan, peek.header(), peek.rows() == null ? List.of() : peek.rows());
    }

    /** 413 above the configured limit; called again while a streamed body grows. */
    public void checkSize(long size) {
        long max = uploadConfig.maxFileSize().asLongValue();
        if (size > max) throw ApiException.fileTooLarge(size, max);
    }

    /**
     * 422 unless the bytes start with a header holding the required columns (after mapping). Returns
     * the columns that feed nothing, each with a sample from the rows the probe holds.
     */
    List<UnmappedColumn> checkHeader(byte[] start, ImportOptions options, Attributes attrs) {
        int from = Bom.length(start);
        String text = new String(
                start,
                from,
                start.length - from,
                options.encoding() == null ? StandardCharsets.UTF_8 : options.charset());
        List<String> records = CsvChunkParser.splitRecords(text, options.delimiterChar());
        if (records.isEmpty()) {
            throw new ApiException(422, "Empty file", "The file is empty: it needs a header row naming its columns")
                    .with("columnsFound", List.of())
                    .with("columnsMissing", ColumnPlan.REQUIRED);
        }
        String headerLine = records.getFirst();
        if (!headerLine.endsWith("\n") && start.length >= HEADER_PROBE) {
            throw new ApiException(
                    422, "No header", "The first line is longer than " + HEADER_PROBE + " bytes: is this a CSV file?");
        }
        CsvChunkParser.Header header = CsvChunkParser.readHeader(headerLine, options.delimiterChar());
        if (header == null) throw new ApiException(422, "No header", "The first line is not a CSV header");
        ColumnPlan plan = ColumnPlan.resolve(header.columns(), options.mapping(), attrs);
        if (plan.unmapped().isEmpty()) return List.of();
        // Samples from the whole records in the probe (the last one may be cut off).
        List<List<String>> rows = new ArrayList<>();
        for (int r = 1; r < records.size() && rows.size() < SAMPLE_ROWS; r++) {
            if (r == records.size() - 1 && start.length >= HEADER_PROBE) break;
            CsvChunkParser.Header cells = CsvChunkParser.readHeader(records.get(r), header.delimiter());
            if (cells != null) rows.add(cells.columns());
        }
        return unmapped(plan, header.columns(), rows);
    }

    /** The plan's columns that feed nothing, each with its first non-blank value among {@code rows}. */
    private static List<UnmappedColumn> unmapped(ColumnPlan plan, List<String> header, List<List<String>> rows) {
        List<UnmappedColumn> out = new ArrayList<>(plan.unmapped().size());
        for (int i : plan.unmapped()) {
            String sample = null;
            for (List<String> row : rows) {
                if (i < row.size() && row.get(i) != null && !row.get(i).isBlank()) {
                    sample = Text.truncate(row.get(i), 200);
                    break;
                }
            }
            out.add(new UnmappedColumn(header.get(i), sample, null));
        }
        return out;
    }

    private static final int SAMPLE_ROWS = 50;

    /** The job, queued, with its audit entry in the same transaction. */
    @WithTransaction
    Uni<ImportJobView> create(
            String key, String filename, long size, ImportOptions options, Actor actor, List<UnmappedColumn> unmapped) {
        ImportJob j = new ImportJob();
        j.id = UuidV7.next();
        j.filename = filename == null || filename.isBlank()
                ? options.xlsx() ? "upload.xlsx" : "upload.csv"
                : Text.truncate(filename, 255);
        j.objectKey = key;
        j.status = ImportStatus.QUEUED.wire();
        j.phase = ImportPhase.SCAN.wire();
        j.options = Json.write(json, options);
        j.bytesTotal = size;
        j.unmappedColumns = unmapped.isEmpty() ? null : Json.pgSafe(Json.write(json, unmapped));
        j.createdBy = actor.id();
        j.createdByEmail = actor.email();
        j.createdAt = Times.now();
        j.recordsHistory = history.enabled();
        return jobs.persist(j)
                .call(x -> audit.record(
                        actor,
                        "import.create",
                        "import",
                        j.id,
                        Map.of("filename", j.filename, "objectKey", key, "bytes", size, "options", options)))
                .map(x -> ImportJobView.of(j, json));
    }
}
