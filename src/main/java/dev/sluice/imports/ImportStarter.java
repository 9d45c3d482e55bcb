package dev.sluice.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.common.ApiException;
import dev.sluice.common.Bom;
import dev.sluice.common.Json;
import dev.sluice.common.Text;
import dev.sluice.common.Times;
import dev.sluice.common.UuidV7;
import dev.sluice.common.Workers;
import dev.sluice.spreadsheet.UnknownSheetException;
import dev.sluice.spreadsheet.XlsxException;
import dev.sluice.upload.ObjectStore;
import dev.sluice.upload.UploadConfig;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
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
    private final XlsxWorkbooks workbooks;
    private final Workers workers;

    public ImportStarter(
            ImportJobRepository jobs,
            ObjectStore store,
            ImportRunner runner,
            UploadConfig uploadConfig,
            ObjectMapper json,
            AuditLog audit,
            XlsxWorkbooks workbooks,
            Workers workers) {
        this.jobs = jobs;
        this.store = store;
        this.runner = runner;
        this.uploadConfig = uploadConfig;
        this.json = json;
        this.audit = audit;
        this.workbooks = workbooks;
        this.workers = workers;
    }

    /** Checks the object of {@code size} bytes at {@code key}, creates its job and wakes the runner. */
    public Uni<ImportJobView> start(String key, String filename, long size, ImportOptions options, Actor actor) {
        return Uni.createFrom()
                .voidItem()
                .invoke(() -> checkSize(size))
                .flatMap(x -> store.head(key, HEADER_PROBE))
                .flatMap(bytes -> checked(bytes, key, filename, size, options))
                .flatMap(resolved -> create(key, filename, size, resolved, actor))
                .invoke(x -> runner.wake());
    }

    /** The options with the file's format, once its header passed the check (an XLSX's on a worker: ranged GETs). */
    private Uni<ImportOptions> checked(byte[] head, String key, String filename, long size, ImportOptions options) {
        ImportOptions resolved = options.withFormat(ImportFormat.resolve(head, filename, options.format()));
        if (!resolved.xlsx()) {
            checkHeader(head, resolved);
            return Uni.createFrom().item(resolved);
        }
        return workers.call(() -> {
            checkXlsxHeader(key, size, resolved);
            return resolved;
        });
    }

    /** 422 for an unreadable workbook, an unknown sheet (listing the sheets), an empty sheet or missing columns. */
    void checkXlsxHeader(String key, long size, ImportOptions options) {
        XlsxWorkbooks.Peek peek;
        try {
            peek = workbooks.peek(key, size, options.sheet(), 0);
        } catch (UnknownSheetException e) {
            throw new ApiException(422, "Unknown sheet", e.getMessage()).with("sheets", e.sheets());
        } catch (XlsxException e) {
            throw new ApiException(422, "Unreadable workbook", e.getMessage());
        }
        if (peek.header() == null) {
            if (peek.partial()) return; // the header refers far into the shared strings: the run checks it
            throw new ApiException(
                            422,
                            "Empty sheet",
                            "The sheet '" + peek.sheet().name()
                                    + "' is empty: it needs a header row naming its columns")
                    .with("columnsFound", List.of())
                    .with("columnsMissing", ColumnPlan.REQUIRED);
        }
        ColumnPlan.resolve(peek.header(), options.mapping());
    }

    /** 413 above the configured limit; called again while a streamed body grows. */
    public void checkSize(long size) {
        long max = uploadConfig.maxFileSize().asLongValue();
        if (size > max) throw ApiException.fileTooLarge(size, max);
    }

    /** 422 unless the bytes start with a header holding the required columns (after mapping). */
    void checkHeader(byte[] start, ImportOptions options) {
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
        ColumnPlan.resolve(header.columns(), options.mapping());
    }

    /** The job, queued, with its audit entry in the same transaction. */
    @WithTransaction
    Uni<ImportJobView> create(String key, String filename, long size, ImportOptions options, Actor actor) {
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
        j.createdBy = actor.id();
        j.createdAt = Times.now();
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
