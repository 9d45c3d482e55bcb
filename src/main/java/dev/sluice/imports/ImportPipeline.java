package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.progress.ProgressSnapshot;
import dev.sluice.upload.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * One run of an import, as a chain of stages:
 * S3 bytes (ranged GET from the checkpoint) → {@link RecordFramer} → on a worker: {@link ChunkDecoder} →
 * {@link CsvChunkParser} → {@link RowMapper} → {@link ProductBatchWriter}, one batch at a time → progress.
 * The writer requests the next batch only when it has committed this one, so demand (and memory)
 * is bounded by batch size × {@code parseAhead} all the way back to the S3 socket.
 * <p>
 * onError=skip commits every batch with its checkpoint. onError=abort and dry-run write through one
 * transaction that is committed only by a clean apply run, and rolled back otherwise.
 */
@ApplicationScoped
public class ImportPipeline {
    private final ObjectStore store;
    private final ProductBatchWriter writer;
    private final ImportSql sql;
    private final ProgressPublisher progress;
    private final ImportsConfig config;
    private final ObjectMapper json;

    private final Timer batchWrite;
    private final Counter created, updated, unchanged, duplicates, rejected;
    /** The running import's current rate on this instance (0 when none runs here). */
    private volatile double rowsPerSecond;

    public ImportPipeline(ObjectStore store, ProductBatchWriter writer, ImportSql sql, ProgressPublisher progress,
                          ImportsConfig config, ObjectMapper json, MeterRegistry meters) {
        this.batchWrite = Timer.builder("sluice.import.batch.write")
                .description("One batch: upsert, rejects and checkpoint, committed").publishPercentileHistogram().register(meters);
        this.created = rows(meters, "created");
        this.updated = rows(meters, "updated");
        this.unchanged = rows(meters, "unchanged");
        this.duplicates = rows(meters, "duplicate");
        this.rejected = rows(meters, "rejected");
        Gauge.builder("sluice.import.rows.per.second", this, p -> p.rowsPerSecond)
                .description("Rows per second of the import running on this instance").register(meters);
        this.store = store;
        this.writer = writer;
        this.sql = sql;
        this.progress = progress;
        this.config = config;
        this.json = json;
    }

    private static Counter rows(MeterRegistry meters, String result) {
        return Counter.builder("sluice.import.rows").tag("result", result).description("Rows imported, by result").register(meters);
    }

    /** How a run ended normally. */
    public record Outcome(String status, String error, boolean discardApplied) {}

    public Uni<Outcome> run(ImportSql.Claimed job, RunControl control, String owner) {
        ImportOptions options = options(job.options());
        RunState state = new RunState(options, json, job.encoding(), job.delimiter(), job.header(), job.notes());
        Tally tally = new Tally(job);
        Multi<Batch> batches = batches(job, state);
        Pool pool = sql.pool();
        if (!options.dryRun() && !options.abortOnError()) {
            CommitOrder order = new CommitOrder();
            return batches.onItem().transformToUni(b -> {
                        CommitOrder.Turn turn = order.next(b.rows().sku());
                        // Cancelled or shutting down: stop here, but only once the batch before has committed and
                        // been counted, so the job's counts and checkpoint describe exactly what is in the table.
                        Uni<Void> start = Uni.createFrom().voidItem().invoke(control::check)
                                .onFailure().call(e -> turn.previous().onFailure().recoverWithNull())
                                .chain(() -> turn.overlapsPrevious() ? turn.previous() : Uni.createFrom().voidItem());
                        // The checkpoint commits with its batch, so a commit PostgreSQL loses in a crash loses its
                        // checkpoint too and the resume redoes exactly that batch: no need to wait for the WAL flush.
                        return start.chain(() -> {
                                    long started = System.nanoTime();
                                    return pool.withTransaction(conn -> conn.query("set local synchronous_commit = off").execute()
                                                    .flatMap(x -> apply(conn, job.id(), b))
                                                    .call(c -> sql.insertRejects(conn, job.id(), b.rejects()))
                                                    // In file order: the checkpoint says everything before it is in.
                                                    .call(c -> turn.previous())
                                                    .flatMap(c -> sql.progress(conn, job.id(), owner, c, b.size(), b.endOffset(), b.endLine(), true, state)
                                                            .map(cancel -> new Step(b, c, cancel))))
                                            .invoke(step -> batchWrite.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS));
                                })
                                .call(step -> after(step, tally, control))
                                .onItemOrFailure().invoke((step, failure) -> turn.finished(failure));
                    })
                    .merge(Math.max(1, config.writesInFlight()))
                    .collect().last()
                    .eventually(() -> rowsPerSecond = 0)
                    .replaceWith(() -> new Outcome(ImportJob.COMPLETED, null, false));
        }
        // All-or-nothing or dry run: one transaction for the products; rejects and progress outside it.
        return pool.getConnection().flatMap(conn -> conn.begin().flatMap(tx -> batches
                        .onItem().transformToUniAndConcatenate(b -> {
                            control.check();
                            // In abort mode, once a row is bad nothing will be kept: just keep collecting the rejects.
                            boolean write = options.dryRun() || (tally.rejected == 0 && b.rejects().isEmpty());
                            Uni<BatchCounts> written = write ? apply(conn, job.id(), b) : Uni.createFrom().item(rejectedOnly(b));
                            return written
                                    .call(c -> sql.insertRejects(pool, job.id(), b.rejects()))
                                    .flatMap(c -> sql.progress(pool, job.id(), owner, c, b.size(), b.endOffset(), b.endLine(), false, state)
                                            .map(cancel -> new Step(b, c, cancel)))
                                    .call(step -> after(step, tally, control));
                        })
                        .collect().last()
                        .flatMap(last -> {
                            boolean keep = !options.dryRun() && tally.rejected == 0;
                            if (keep) return tx.commit().replaceWith(new Outcome(ImportJob.COMPLETED, null, false));
                            Outcome outcome = options.dryRun()
                                    ? new Outcome(ImportJob.COMPLETED, null, false)
                                    : new Outcome(ImportJob.FAILED, tally.rejected + " row(s) were invalid, so nothing was imported "
                                            + "(onError=abort); see the error report", true);
                            return tx.rollback().replaceWith(outcome);
                        })
                        .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull()))
                .eventually(conn::close)
                .eventually(() -> rowsPerSecond = 0));
    }

    private Multi<Batch> batches(ImportSql.Claimed job, RunState state) {
        RecordFramer framer = new RecordFramer(config.batchSize(), (int) config.maxRecordSize().asLongValue(),
                job.checkpointOffset(), job.checkpointLine(), state.delimiterChar());
        boolean atEnd = job.bytesTotal() != null && job.checkpointOffset() >= job.bytesTotal() && job.checkpointOffset() > 0;
        Multi<ByteBuffer> bytes = atEnd ? Multi.createFrom().empty() : store.read(job.objectKey(), job.checkpointOffset());
        return bytes
                .onItem().transformToIterable(framer::feed)
                .onCompletion().switchTo(() -> Multi.createFrom().iterable(framer.finish()))
                // Decoding, parsing and validation are CPU work: off the I/O threads, a bounded number ahead of the writer.
                .emitOn(Infrastructure.getDefaultWorkerPool(), Math.max(1, config.parseAhead()))
                .map(state::toBatch);
    }

    private Uni<BatchCounts> apply(SqlClient client, UUID jobId, Batch b) {
        return writer.write(client, jobId, b.rows()).map(c -> c.plus(rejectedOnly(b)));
    }

    private static BatchCounts rejectedOnly(Batch b) {
        return new BatchCounts(0, 0, 0, 0, b.rejects().size());
    }

    private Uni<Void> after(Step step, Tally tally, RunControl control) {
        if (step.cancel()) control.requestCancel();
        tally.add(step.counts(), step.batch());
        BatchCounts c = step.counts();
        created.increment(c.created());
        updated.increment(c.updated());
        unchanged.increment(c.unchanged());
        duplicates.increment(c.duplicates());
        rejected.increment(c.rejected());
        long now = System.nanoTime();
        if (!step.batch().last() && now - tally.lastPublished < config.progressInterval().toNanos()) {
            return Uni.createFrom().voidItem();
        }
        tally.lastPublished = now;
        ProgressSnapshot snapshot = tally.snapshot(ImportJob.RUNNING, null);
        rowsPerSecond = snapshot.rowsPerSecond();
        // Off the write path: a slow or absent Redis must never slow an import. One publish at a
        // time; a snapshot due while one is in flight is skipped (the next one supersedes it).
        if (tally.publishing.compareAndSet(false, true)) {
            progress.publish(snapshot)
                    .subscribe().with(x -> tally.publishing.set(false), e -> tally.publishing.set(false));
        }
        return Uni.createFrom().voidItem();
    }

    private ImportOptions options(String raw) {
        try {
            return json.readValue(raw, ImportOptions.class);
        } catch (JsonProcessingException e) {
            throw new ImportFailure("The job's options are unreadable");
        }
    }

    private record Step(Batch batch, BatchCounts counts, boolean cancel) {}

    /** Running totals of this run, for progress events. */
    static final class Tally {
        final UUID id;
        final Long bytesTotal;
        final long startOffset;
        final long startNanos = System.nanoTime();
        long startRows;
        long rows, created, updated, unchanged, duplicates, rejected, offset;
        long lastPublished;
        final java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean();

        Tally(ImportSql.Claimed job) {
            id = job.id();
            bytesTotal = job.bytesTotal();
            startOffset = offset = job.checkpointOffset();
            // The claim reset these to zero if the run restarts at offset 0 (nothing was committed).
            rows = startRows = job.processedRows();
            BatchCounts c = job.counts();
            created = c.created();
            updated = c.updated();
            unchanged = c.unchanged();
            duplicates = c.duplicates();
            rejected = c.rejected();
        }

        void add(BatchCounts c, Batch b) {
            rows += b.size();
            created += c.created();
            updated += c.updated();
            unchanged += c.unchanged();
            duplicates += c.duplicates();
            rejected += c.rejected();
            offset = b.endOffset();
        }

        ProgressSnapshot snapshot(String status, String error) {
            double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
            double rowsPerSecond = Math.round((rows - startRows) / seconds * 10) / 10.0;
            Long eta = null;
            if (bytesTotal != null && offset > startOffset) {
                double bytesPerSecond = (offset - startOffset) / seconds;
                eta = Math.max(0, Math.round((bytesTotal - offset) / bytesPerSecond));
            }
            return new ProgressSnapshot(0, id, status, offset, bytesTotal, rows, created, updated, unchanged, rejected,
                    duplicates, rowsPerSecond, eta, error);
        }
    }

}
