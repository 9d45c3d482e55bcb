package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.attribute.AttributeCatalog;
import dev.sluice.attribute.AttributeView;
import dev.sluice.attribute.Attributes;
import dev.sluice.common.ApiException;
import dev.sluice.common.JobLog;
import dev.sluice.history.HistorySql;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.upload.ObjectStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One run of an import, in two phases.
 * <p>
 * The scan reads the file once, as a chain of stages: source (S3 bytes, a ranged GET from the
 * checkpoint) → {@link RecordFramer} (whole records, cut into chunks of a batch) → on a worker:
 * {@link CsvRecordReader} (the parser: {@link ChunkDecoder} → {@link CsvChunkParser}) →
 * {@link BatchAssembler} ({@link RowMapper} → {@link Batch}) → {@link CheckpointedWrites} running
 * {@link RowStaging} → {@link ProgressReporter}. Each batch's valid rows are staged in PostgreSQL
 * with its checkpoint; the strategy requests the next batch only when one in flight has committed, so
 * demand (and memory) is bounded by batch size × {@code parseAhead} all the way back to the S3
 * socket. The scan ends with the keys the file repeats and their last line ({@code import_last}).
 * <p>
 * The write phase then merges the staged batches, in file order, into the catalog
 * ({@link ProductWrites}): set-based statements inside PostgreSQL that skip every row a later one
 * supersedes, so each SKU is written at most once, with its last valid row. It commits batch by batch
 * with its checkpoint for onError=skip ({@link CheckpointedWrites}), and through one transaction for
 * onError=abort and dry runs ({@link SingleTransactionWrites}). A run resumes in the phase and at the
 * checkpoint it had reached.
 * <p>
 * An undo job has one phase: it takes the target job's recorded changes back, batch by batch, in
 * the order they were made ({@link UndoWrites}), committing each with its checkpoint.
 */
@ApplicationScoped
public class ImportPipeline {
    private static final JobLog JOB_LOG = new JobLog(ImportPipeline.class);
    private final ObjectStore store;
    private final ProductBatchWriter writer;
    private final ImportSql sql;
    private final ImportStageSql stage;
    private final ProgressPublisher publisher;
    private final ImportMetrics metrics;
    private final ImportsConfig config;
    private final ObjectMapper json;
    private final AttributeCatalog catalog;
    private final XlsxWorkbooks workbooks;
    private final UndoSql undoSql;
    private final HistorySql historySql;

    public ImportPipeline(
            ObjectStore store,
            ProductBatchWriter writer,
            ImportSql sql,
            ImportStageSql stage,
            ProgressPublisher publisher,
            ImportMetrics metrics,
            ImportsConfig config,
            ObjectMapper json,
            AttributeCatalog catalog,
            XlsxWorkbooks workbooks,
            UndoSql undoSql,
            HistorySql historySql) {
        this.undoSql = undoSql;
        this.historySql = historySql;
        this.catalog = catalog;
        this.store = store;
        this.writer = writer;
        this.sql = sql;
        this.stage = stage;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
        this.json = json;
        this.workbooks = workbooks;
    }

    /** How a run ended normally. */
    public record Outcome(String status, String error, boolean discardApplied) {}

    public Uni<Outcome> run(ImportSql.Claimed job, RunControl control, String owner) {
        if (job.kind() == JobKind.UNDO) return undo(job, control, owner);
        ImportOptions options = options(job.options());
        // The attribute definitions as stored now, read once per run: the columns they feed stay fixed for it.
        return catalog.fresh().flatMap(attrs -> run(job, options, attrs, control, owner));
    }

    private Uni<Outcome> run(
            ImportSql.Claimed job, ImportOptions options, Attributes attrs, RunControl control, String owner) {
        return job.phase() == ImportPhase.SCAN
                ? scanThenWrite(job, options, attrs, control, owner, true)
                : stage.intact(job.id(), job.scanBatches())
                        .flatMap(
                                intact -> intact
                                        ? write(job, options, attrs, control, owner, header(job))
                                        : Uni.createFrom()
                                                .failure(
                                                        new ImportFailure(
                                                                "The staged rows are gone (PostgreSQL "
                                                                        + "restarted without a clean shutdown during the import); start the import again")));
    }

    private Uni<Outcome> scanThenWrite(
            ImportSql.Claimed job,
            ImportOptions options,
            Attributes attrs,
            RunControl control,
            String owner,
            boolean mayRescan) {
        RecordReader reader = options.xlsx() ? xlsxReader(job, options) : reader(job, options);
        ProgressReporter progress = reporter(job);
        long started = System.nanoTime();
        // The batch-write timer measures merges into the catalog, not staging.
        return new CheckpointedWrites(sql.pool(), config.writesInFlight(), started0 -> {})
                .run(
                        scanned(job, reader, options, attrs),
                        new RowStaging(stage, sql, job.id(), owner),
                        progress,
                        control)
                .eventually(progress::ended)
                .chain(() -> stage.finishScan(job.id(), owner))
                .flatMap(switched -> {
                    if (switched != null) {
                        JOB_LOG.info(
                                job.id(),
                                "Import %s: scanned in %.1f s, %d row(s) staged, %d SKU(s) repeated; writing",
                                job.id(),
                                (System.nanoTime() - started) / 1e9,
                                switched.stagedRows(),
                                switched.repeatedKeys());
                        ImportSql.Claimed writing =
                                job.writing(switched.repeatedKeys(), switched.batches(), switched.stagedRows());
                        return write(writing, options, attrs, control, owner, reader.header());
                    }
                    if (!mayRescan)
                        throw new ImportFailure("The staged rows were lost twice; please start the import again");
                    // The unlogged stage was emptied by a PostgreSQL restart: scan again from the first byte.
                    return scanThenWrite(job.rescanning(), options, attrs, control, owner, false);
                });
    }

    /** The target's batches from the checkpoint on, each undone and committed with its checkpoint. */
    private Uni<Outcome> undo(ImportSql.Claimed job, RunControl control, String owner) {
        UndoWrites work =
                new UndoWrites(undoSql, sql, job.id(), job.undoOf(), owner, job.force(), job.recordsHistory());
        return sql.tidyProducts()
                .chain(() -> plannedReporter(job))
                .flatMap(progress -> undo(job, work, progress, control));
    }

    private Uni<Outcome> undo(ImportSql.Claimed job, UndoWrites work, ProgressReporter progress, RunControl control) {
        // The changes were counted when the undo was asked for (totalRows); the run needs only where they end.
        return undoSql.lastBatch(job.undoOf())
                .flatMap(last -> new CheckpointedWrites(sql.pool(), config.writesInFlight(), metrics::batchWritten)
                        .run(
                                undoSql.batches(job.undoOf(), job.writtenBatches())
                                        .map(b -> new UndoBatch(b.batch(), b.rows(), b.batch() == last)),
                                work,
                                progress,
                                control))
                .eventually(progress::ended);
    }

    private Uni<Outcome> write(
            ImportSql.Claimed job,
            ImportOptions options,
            Attributes attrs,
            RunControl control,
            String owner,
            List<String> header) {
        return plannedReporter(job).flatMap(progress -> write(job, options, attrs, control, owner, header, progress));
    }

    private Uni<Outcome> write(
            ImportSql.Claimed job,
            ImportOptions options,
            Attributes attrs,
            RunControl control,
            String owner,
            List<String> header,
            ProgressReporter progress) {
        // A file that repeats no SKU needs no look-ahead: the statement then skips the anti-join.
        boolean lookAhead = job.repeatedKeys() == null || job.repeatedKeys() > 0;
        ProductBatchWriter.History history = !job.recordsHistory()
                ? ProductBatchWriter.History.OFF
                : options.dryRun() ? ProductBatchWriter.History.DRY_RUN : ProductBatchWriter.History.RECORD;
        ProductWrites work = new ProductWrites(
                writer,
                sql,
                json,
                job.id(),
                owner,
                present(header, options, attrs),
                required(attrs),
                lookAhead,
                history,
                historySql);
        WriteStrategy strategy = options.dryRun() || options.abortOnError()
                ? new SingleTransactionWrites(sql.pool(), options.dryRun(), conn -> sql.fence(conn, job.id(), owner))
                : new CheckpointedWrites(sql.pool(), config.writesInFlight(), metrics::batchWritten);
        // A dry run's write starts from its first batch whenever it runs: what an interrupted one kept is redone.
        Uni<Void> fresh = history == ProductBatchWriter.History.DRY_RUN
                ? historySql.forget(job.id())
                : Uni.createFrom().voidItem();
        return fresh.chain(() -> strategy.run(
                        stage.batches(job.id(), job.writtenBatches(), job.scanBatches()), work, progress, control))
                .eventually(progress::ended);
    }

    /**
     * Source → framer → (worker) decoder, parser, mapper, batcher. A scan that starts at the first byte
     * reads the header and detects the encoding itself; one resuming mid-file takes them from the job.
     */
    private Multi<Batch> scanned(ImportSql.Claimed job, RecordReader reader, ImportOptions options, Attributes attrs) {
        if (reader instanceof XlsxRecordReader xlsx) return scannedXlsx(job, xlsx, options, attrs);
        CsvRecordReader csv = (CsvRecordReader) reader;
        RecordFramer framer = new RecordFramer(
                config.batchSize(),
                (int) config.maxRecordSize().asLongValue(),
                job.checkpointOffset(),
                job.checkpointLine(),
                csv.delimiterChar());
        BatchAssembler assembler = new BatchAssembler(reader, options, attrs, job.scanBatches());
        boolean atEnd =
                job.bytesTotal() != null && job.checkpointOffset() >= job.bytesTotal() && job.checkpointOffset() > 0;
        Multi<ByteBuffer> bytes =
                atEnd ? Multi.createFrom().empty() : store.read(job.objectKey(), job.checkpointOffset());
        return bytes.onItem()
                .transformToIterable(framer::feed)
                .onCompletion()
                .switchTo(() -> Multi.createFrom().iterable(framer.finish()))
                // Decoding, parsing and validation are CPU work: off the I/O threads, a bounded number ahead of the
                // writer.
                .emitOn(Infrastructure.getDefaultWorkerPool(), Math.max(1, config.parseAhead()))
                .map(chunk -> assembler.assemble(chunk));
    }

    /**
     * XLSX: each batch of rows is read (S3 → inflater → StAX → cells) on a worker when the writer asks
     * for it, so demand bounds memory as in the CSV scan. Always from the sheet's start; rows up to
     * the checkpoint's line are skipped ({@link XlsxRecordReader}).
     */
    private Multi<Batch> scannedXlsx(
            ImportSql.Claimed job, XlsxRecordReader reader, ImportOptions options, Attributes attrs) {
        BatchAssembler assembler = new BatchAssembler(reader, options, attrs, job.scanBatches());
        return Multi.createBy()
                .repeating()
                .uni(() -> Uni.createFrom().item(reader::next).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .whilst(parsed -> !parsed.last())
                .map(assembler::assemble)
                .onTermination()
                .invoke(() -> Infrastructure.getDefaultWorkerPool().execute(reader::close));
    }

    private XlsxRecordReader xlsxReader(ImportSql.Claimed job, ImportOptions options) {
        long size = job.bytesTotal() == null ? 0 : job.bytesTotal();
        return new XlsxRecordReader(
                () -> workbooks.open(job.objectKey(), size),
                options.sheet(),
                config.batchSize(),
                job.checkpointLine(),
                size,
                json);
    }

    private CsvRecordReader reader(ImportSql.Claimed job, ImportOptions options) {
        boolean fromStart = job.checkpointOffset() == 0;
        return new CsvRecordReader(
                options,
                json,
                fromStart ? null : job.encoding(),
                job.delimiter(),
                fromStart ? null : job.header(),
                job.notes());
    }

    /** The product fields the file has columns for; an empty file (no header) has none to write. */
    private static List<String> present(List<String> header, ImportOptions options, Attributes attrs) {
        if (header == null) return List.of("sku");
        try {
            return ColumnPlan.resolve(header, options.mapping(), attrs).present();
        } catch (ApiException e) {
            throw new ImportFailure(e.getMessage());
        }
    }

    /** The attributes a product created by the import must have a value for. */
    private static List<String> required(Attributes attrs) {
        return attrs.all().stream()
                .filter(AttributeView::required)
                .map(AttributeView::code)
                .toList();
    }

    private List<String> header(ImportSql.Claimed job) {
        try {
            return job.header() == null ? null : json.readValue(job.header(), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new ImportFailure("The job's stored header is unreadable");
        }
    }

    /** A reporter that also keeps the planner's statistics current as the run adds products. */
    private Uni<ProgressReporter> plannedReporter(ImportSql.Claimed job) {
        return sql.productsEstimate()
                .map(believed -> reporter(job).withPlannerStats(new PlannerStats(believed, sql::analyzeProducts)));
    }

    private ProgressReporter reporter(ImportSql.Claimed job) {
        return new ProgressReporter(job, metrics, publisher, config.progressInterval());
    }

    private ImportOptions options(String raw) {
        try {
            return json.readValue(raw, ImportOptions.class);
        } catch (JsonProcessingException e) {
            throw new ImportFailure("The job's options are unreadable");
        }
    }
}
