package dev.sluice.imports;

import dev.sluice.common.Bom;
import dev.sluice.common.CsvText;
import dev.sluice.common.Json;
import dev.sluice.common.Text;
import dev.sluice.common.SpreadsheetSafe;
import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.common.Times;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.PageResponse;
import dev.sluice.common.UuidV7;
import dev.sluice.upload.ObjectStore;
import dev.sluice.upload.UploadConfig;
import dev.sluice.upload.UploadRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ImportService {
    /** Bytes read from the start of a file to check its header before accepting the import. */
    static final int HEADER_PROBE = 64 * 1024;
    private final ImportJobRepository jobs;
    private final ImportSql sql;
    private final ObjectStore store;
    private final UploadRepository uploads;
    private final ImportRunner runner;
    private final UploadConfig uploadConfig;
    private final ObjectMapper json;
    private final ImportCancelSql cancels;
    private final AuditLog audit;

    public ImportService(ImportJobRepository jobs, ImportSql sql, ObjectStore store, UploadRepository uploads,
                         ImportRunner runner, UploadConfig uploadConfig, ObjectMapper json, ImportCancelSql cancels, AuditLog audit) {
        this.cancels = cancels;
        this.audit = audit;
        this.jobs = jobs;
        this.sql = sql;
        this.store = store;
        this.uploads = uploads;
        this.runner = runner;
        this.uploadConfig = uploadConfig;
        this.json = json;
    }

    /** Body of POST /api/imports (JSON): an upload or an object already in the bucket, and options. */
    public record StartRequest(UUID uploadId, String objectKey, String filename, ImportOptions options) {}

    public Uni<ImportJobView> start(StartRequest req, UUID userId) {
        ImportOptions options = (req.options() == null ? ImportOptions.DEFAULTS : req.options()).validated();
        if ((req.uploadId() == null) == (req.objectKey() == null || req.objectKey().isBlank())) {
            throw ApiException.badRequest("Say what to import", List.of(new FieldError("uploadId",
                    "give exactly one of uploadId or objectKey")));
        }
        Uni<String[]> target = req.uploadId() != null
                ? uploads.keyAndName(req.uploadId()).map(kn -> {
                    if (kn == null) throw ApiException.notFound("Upload", req.uploadId());
                    return kn;
                })
                : Uni.createFrom().item(new String[] {req.objectKey().strip(), null});
        return target.flatMap(kn -> {
            String key = kn[0];
            String filename = req.filename() != null ? req.filename() : kn[1] != null ? kn[1] : key.substring(key.lastIndexOf('/') + 1);
            return store.size(key).flatMap(size -> {
                if (size == null) {
                    throw new ApiException(422, "File not found", "Nothing has been uploaded to '" + key + "' yet");
                }
                checkSize(size);
                return store.head(key, HEADER_PROBE).invoke(bytes -> checkHeader(bytes, options))
                        .flatMap(x -> create(key, filename, size, options, audit.currentActor()));
            });
        }).invoke(x -> runner.wake());
    }

    /** Creates the job once its file is in the bucket and its header checked. */
    @WithTransaction
    public Uni<ImportJobView> create(String key, String filename, long size, ImportOptions options, Actor actor) {
        ImportJob j = new ImportJob();
        j.id = UuidV7.next();
        j.filename = filename == null || filename.isBlank() ? "upload.csv" : Text.truncate(filename, 255);
        j.objectKey = key;
        j.status = ImportStatus.QUEUED.wire();
        j.phase = ImportPhase.SCAN.wire();
        j.options = Json.write(json, options);
        j.bytesTotal = size;
        j.createdBy = actor.id();
        j.createdAt = Times.now();
        return jobs.persist(j)
                .call(x -> audit.record(actor, "import.create", "import", j.id,
                        Map.of("filename", j.filename, "objectKey", key, "bytes", size, "options", options)))
                .map(x -> view(j));
    }

    public Uni<byte[]> headerOf(String key) {
        return store.head(key, HEADER_PROBE);
    }

    /** Removes an object that won't be imported (best effort). */
    public void deleteQuietly(String key) {
        store.delete(key).subscribe().with(x -> { }, e -> { });
    }

    public void wakeRunner() {
        runner.wake();
    }

    public void checkSize(long size) {
        long max = uploadConfig.maxFileSize().asLongValue();
        if (size > max) {
            throw ApiException.fileTooLarge(size, max);
        }
    }

    /** 422 unless the bytes start with a header holding the required columns (after mapping). */
    public void checkHeader(byte[] start, ImportOptions options) {
        int from = Bom.length(start);
        String text = new String(start, from, start.length - from, options.encoding() == null ? StandardCharsets.UTF_8 : options.charset());
        List<String> records = CsvChunkParser.splitRecords(text, options.delimiterChar());
        if (records.isEmpty()) {
            throw new ApiException(422, "Empty file", "The file is empty: it needs a header row naming its columns")
                    .with("columnsFound", List.of()).with("columnsMissing", ColumnPlan.REQUIRED);
        }
        String headerLine = records.getFirst();
        if (!headerLine.endsWith("\n") && start.length >= HEADER_PROBE) {
            throw new ApiException(422, "No header", "The first line is longer than " + HEADER_PROBE + " bytes: is this a CSV file?");
        }
        CsvChunkParser.Header header = CsvChunkParser.readHeader(headerLine, options.delimiterChar());
        if (header == null) throw new ApiException(422, "No header", "The first line is not a CSV header");
        ColumnPlan.resolve(header.columns(), options.mapping());
    }

    @WithSession
    public Uni<PageResponse<ImportJobView>> list(String status, int page, int size) {
        return jobs.page(status, page, size).flatMap(list -> jobs.countByStatus(status)
                .map(total -> PageResponse.of(list.stream().map(this::view).toList(), page, size, total, null)));
    }

    @WithSession
    public Uni<ImportJobView> get(UUID id) {
        return find(id).map(this::view);
    }

    public Uni<PageResponse<ImportSql.ErrorEntry>> errors(UUID id, int page, int size) {
        return get(id).flatMap(job -> sql.errors(id, page, size)
                .flatMap(items -> sql.countRejects(id).map(total -> PageResponse.of(items, page, size, total, null))));
    }

    /** The rejected rows as they were in the file, plus line and error columns: fix and re-upload. */
    @WithSession
    public Uni<Multi<String>> errorsCsv(UUID id) {
        return find(id).map(job -> {
            List<String> header = job.header == null ? List.of() : readHeader(job.header);
            Multi<String> head = Multi.createFrom().item(CsvText.line(concat(header, "line", "error")));
            Multi<String> rows = sql.rejects(id).map(r -> {
                String[] cells = new String[Math.max(header.size(), r.raw().size())];
                // Raw cells go to spreadsheets: neutralise formula-looking ones.
                for (int i = 0; i < cells.length; i++) cells[i] = i < r.raw().size() ? SpreadsheetSafe.neutralise(r.raw().get(i)) : "";
                StringBuilder why = new StringBuilder();
                for (ImportSql.ErrorEntry e : r.errors()) {
                    if (!why.isEmpty()) why.append("; ");
                    if (e.column() != null) why.append(e.column()).append(": ");
                    why.append(e.reason());
                }
                return CsvText.line(concat(Arrays.asList(cells), Long.toString(r.line()), why.toString()));
            });
            return Multi.createBy().concatenating().streams(head, rows);
        });
    }

    /** Queued: cancelled at once. Running: its runner stops within a second (skip keeps committed batches; abort keeps nothing). */
    public Uni<ImportJobView> cancel(UUID id) {
        Actor actor = audit.currentActor();
        return cancels.requestCancel(id, actor)
                .flatMap(x -> {
                    runner.cancelLocally(id);
                    return awaitStop(id, Instant.now().plus(Duration.ofMillis(1500)));
                });
    }

    private Uni<ImportJobView> awaitStop(UUID id, Instant until) {
        return get(id).flatMap(v -> !ImportStatus.RUNNING.is(v.status()) || Instant.now().isAfter(until)
                ? Uni.createFrom().item(v)
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100)).flatMap(x -> awaitStop(id, until)));
    }

    Uni<ImportJob> find(UUID id) {
        return jobs.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("Import", id));
    }

    ImportJobView view(ImportJob j) {
        try {
            return ImportJobView.of(j, json.readValue(j.options, ImportOptions.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> readHeader(String h) {
        try {
            return Arrays.asList(json.readValue(h, String[].class));
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(Arrays.asList(more));
        return out;
    }
}
