package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.common.ApiException;
import dev.sluice.common.CsvText;
import dev.sluice.common.FieldError;
import dev.sluice.common.PageResponse;
import dev.sluice.common.SpreadsheetSafe;
import dev.sluice.history.ChangeKind;
import dev.sluice.history.ChangeView;
import dev.sluice.history.HistoryDiff;
import dev.sluice.history.HistoryReads;
import dev.sluice.upload.ObjectStore;
import dev.sluice.upload.UploadRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ImportService {
    private final ImportJobRepository jobs;
    private final ImportSql sql;
    private final ObjectStore store;
    private final UploadRepository uploads;
    private final ImportRunner runner;
    private final ImportStarter starter;
    private final ObjectMapper json;
    private final ImportCancelSql cancels;
    private final AuditLog audit;
    private final HistoryReads history;

    public ImportService(
            ImportJobRepository jobs,
            ImportSql sql,
            ObjectStore store,
            UploadRepository uploads,
            ImportRunner runner,
            ImportStarter starter,
            ObjectMapper json,
            ImportCancelSql cancels,
            AuditLog audit,
            HistoryReads history) {
        this.history = history;
        this.cancels = cancels;
        this.audit = audit;
        this.jobs = jobs;
        this.sql = sql;
        this.store = store;
        this.uploads = uploads;
        this.runner = runner;
        this.starter = starter;
        this.json = json;
    }

    /** Body of POST /api/imports (JSON): an upload or an object already in the bucket, and options. */
    public record StartRequest(UUID uploadId, String objectKey, String filename, ImportOptions options) {}

    public Uni<ImportJobView> start(StartRequest req, UUID userId) {
        ImportOptions options = (req.options() == null ? ImportOptions.DEFAULTS : req.options()).validated();
        if ((req.uploadId() == null)
                == (req.objectKey() == null || req.objectKey().isBlank())) {
            throw ApiException.badRequest(
                    "Say what to import",
                    List.of(new FieldError("uploadId", "give exactly one of uploadId or objectKey")));
        }
        Uni<String[]> target = req.uploadId() != null
                ? uploads.keyAndName(req.uploadId()).map(kn -> {
                    if (kn == null) throw ApiException.notFound("Upload", req.uploadId());
                    return kn;
                })
                : Uni.createFrom().item(new String[] {req.objectKey().strip(), null});
        return target.flatMap(kn -> {
            String key = kn[0];
            String filename = req.filename() != null
                    ? req.filename()
                    : kn[1] != null ? kn[1] : key.substring(key.lastIndexOf('/') + 1);
            return store.size(key).flatMap(size -> {
                if (size == null) {
                    throw new ApiException(422, "File not found", "Nothing has been uploaded to '" + key + "' yet");
                }
                return starter.start(key, filename, size, options, audit.currentActor());
            });
        });
    }

    @WithSession
    public Uni<PageResponse<ImportJobView>> list(String status, String kind, int page, int size) {
        return jobs.page(status, kind, page, size)
                .flatMap(list -> jobs.countByStatus(status, kind)
                        .map(total ->
                                PageResponse.of(list.stream().map(this::view).toList(), page, size, total, null)));
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
                for (int i = 0; i < cells.length; i++)
                    cells[i] = i < r.raw().size()
                            ? SpreadsheetSafe.neutralise(r.raw().get(i))
                            : "";
                StringBuilder why = new StringBuilder();
                for (ImportSql.ErrorEntry e : r.errors()) {
                    if (!why.isEmpty()) why.append("; ");
                    if (e.column() != null) why.append(e.column()).append(": ");
                    why.append(e.reasonWithChange());
                }
                return CsvText.line(concat(Arrays.asList(cells), Long.toString(r.line()), why.toString()));
            });
            return Multi.createBy().concatenating().streams(head, rows);
        });
    }

    /** One page of the products a job changed, in the order it changed them; optionally of one kind. */
    public Uni<PageResponse<ChangeView>> changes(UUID id, ChangeKind kind, int page, int size) {
        return get(id).flatMap(job -> history.job(id, kind, page, size));
    }

    /**
     * Every change of a job as CSV, one line per changed field: productId, sku, kind, field, before,
     * after. Attributes are fields named {@code attributes.<code>}; a created product lists each field
     * with no before, a deleted one each field with no after.
     */
    @WithSession
    public Uni<Multi<String>> changesCsv(UUID id) {
        return find(id).map(job -> {
            Multi<String> head = Multi.createFrom()
                    .item(CsvText.line(List.of("productId", "sku", "kind", "field", "before", "after")));
            Multi<String> rows = history.job(id).map(c -> {
                StringBuilder lines = new StringBuilder();
                HistoryDiff.fields(c.before(), c.after())
                        .forEach((field, change) -> lines.append(CsvText.line(List.of(
                                c.productId().toString(),
                                SpreadsheetSafe.neutralise(c.sku()),
                                c.kind(),
                                field,
                                SpreadsheetSafe.neutralise(CsvValues.text(change.before())),
                                SpreadsheetSafe.neutralise(CsvValues.text(change.after()))))));
                return lines.toString();
            });
            return Multi.createBy().concatenating().streams(head, rows);
        });
    }

    /** Queued: cancelled at once. Running: its runner stops within a second (skip keeps committed batches; abort keeps nothing). */
    public Uni<ImportJobView> cancel(UUID id) {
        Actor actor = audit.currentActor();
        return cancels.requestCancel(id, actor).flatMap(x -> {
            runner.cancelLocally(id);
            return awaitStop(id, Instant.now().plus(Duration.ofMillis(1500)));
        });
    }

    private Uni<ImportJobView> awaitStop(UUID id, Instant until) {
        return get(id).flatMap(v ->
                !ImportStatus.RUNNING.is(v.status()) || Instant.now().isAfter(until)
                        ? Uni.createFrom().item(v)
                        : Uni.createFrom()
                                .voidItem()
                                .onItem()
                                .delayIt()
                                .by(Duration.ofMillis(100))
                                .flatMap(x -> awaitStop(id, until)));
    }

    Uni<ImportJob> find(UUID id) {
        return jobs.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("Import", id));
    }

    ImportJobView view(ImportJob j) {
        return ImportJobView.of(j, json);
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
