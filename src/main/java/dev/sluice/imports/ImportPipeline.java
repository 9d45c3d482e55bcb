package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.JobLog;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.upload.ObjectStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;

/**
 * One run of an import, as a chain of stages:
 * source (S3 bytes, a ranged GET from the checkpoint) → {@link RecordFramer} (whole records, cut into
 * chunks of a batch) → on a worker: {@link CsvRecordReader} (the parser: {@link ChunkDecoder} →
 * {@link CsvChunkParser}) → {@link BatchAssembler} ({@link RowMapper} → {@link Batch}) → a
 * {@link WriteStrategy} running the pass's {@link BatchWork} → {@link ProgressReporter}. The strategy requests the next batch only when one in flight has
 * committed, so demand (and memory) is bounded by batch size × {@code parseAhead} all the way back to
 * the S3 socket.
 * <p>
 * A run has two passes over the file. The scan ({@link KeyScan}) stages every valid row's key and line
 * and ends with the keys the file repeats and their last line; the write ({@link ProductWrites}) then
 * skips every row a later one supersedes, so each SKU is written at most once, with its last valid
 * row. The scan always commits batch by batch ({@link CheckpointedWrites}); the write does too for
 * onError=skip, while onError=abort and dry runs write through one transaction
 * ({@link SingleTransactionWrites}). A run resumes in the pass and at the checkpoint it had reached.
 */
@ApplicationScoped
public class ImportPipeline {
    private static final JobLog JOB_LOG = new JobLog(ImportPipeline.class);
    private final ObjectStore store;
    private final ProductBatchWriter writer;
    private final ImportSql sql;
    private final ProgressPublisher publisher;
    private final ImportMetrics metrics;
    private final ImportsConfig config;
    private final ObjectMapper json;

    public ImportPipeline(ObjectStore store, ProductBatchWriter writer, ImportSql sql, ProgressPublisher publisher,
                          ImportMetrics metrics, ImportsConfig config, ObjectMapper json) {
        this.store = store;
        this.writer = writer;
        this.sql = sql;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
        this.json = json;
    }

    /** How a run ended normally. */
    public record Outcome(String status, String error, boolean discardApplied) {}

    public Uni<Outcome> run(ImportSql.Claimed job, RunControl control, String owner) {
        ImportOptions options = options(job.options());
        return job.phase() == ImportPhase.SCAN
                ? scanThenWrite(job, options, control, owner, true)
                : write(job, options, control, owner);
    }

    private Uni<Outcome> scanThenWrite(ImportSql.Claimed job, ImportOptions options, RunControl control, String owner,
                                       boolean mayRescan) {
        CsvRecordReader reader = reader(job, options);
        ProgressReporter progress = reporter(job);
        long started = System.nanoTime();
        return new CheckpointedWrites(sql.pool(), config.writesInFlight(), metrics)
                .run(batches(job, reader, options), new KeyScan(sql, job.id(), owner, reader), progress, control)
                .eventually(progress::ended)
                .chain(() -> sql.finishScan(job.id(), owner))
                .flatMap(repeated -> {
                    if (repeated != null) {
                        JOB_LOG.info(job.id(), "Import %s: scanned in %.1f s, %d SKU(s) repeated; writing", job.id(),
                                (System.nanoTime() - started) / 1e9, repeated);
                        return write(job.writing(repeated), options, control, owner);
                    }
                    if (!mayRescan) throw new ImportFailure("The staged keys were lost twice; please start the import again");
                    // The unlogged stage was emptied by a PostgreSQL restart: scan again from the first byte.
                    return scanThenWrite(job.rescanning(), options, control, owner, false);
                });
    }

    private Uni<Outcome> write(ImportSql.Claimed job, ImportOptions options, RunControl control, String owner) {
        CsvRecordReader reader = reader(job, options);
        ProgressReporter progress = reporter(job);
        // A file that repeats no SKU needs no look-ahead: the statement then skips the anti-join.
        boolean lookAhead = job.repeatedKeys() == null || job.repeatedKeys() > 0;
        BatchWork work = new ProductWrites(writer, sql, job.id(), owner, reader, lookAhead);
        WriteStrategy strategy = options.dryRun() || options.abortOnError()
                ? new SingleTransactionWrites(sql.pool(), options.dryRun())
                : new CheckpointedWrites(sql.pool(), config.writesInFlight(), metrics);
        return strategy.run(batches(job, reader, options), work, progress, control)
                .eventually(progress::ended);
    }

    /**
     * Source → framer → (worker) decoder, parser, mapper. A run that starts at the first byte reads the
     * header and detects the encoding itself; one resuming mid-file takes them from the job.
     */
    private Multi<Batch> batches(ImportSql.Claimed job, CsvRecordReader reader, ImportOptions options) {
        RecordFramer framer = new RecordFramer(config.batchSize(), (int) config.maxRecordSize().asLongValue(),
                job.checkpointOffset(), job.checkpointLine(), reader.delimiterChar());
        BatchAssembler assembler = new BatchAssembler(reader, options);
        boolean atEnd = job.bytesTotal() != null && job.checkpointOffset() >= job.bytesTotal() && job.checkpointOffset() > 0;
        Multi<ByteBuffer> bytes = atEnd ? Multi.createFrom().empty() : store.read(job.objectKey(), job.checkpointOffset());
        return bytes
                .onItem().transformToIterable(framer::feed)
                .onCompletion().switchTo(() -> Multi.createFrom().iterable(framer.finish()))
                // Decoding, parsing and validation are CPU work: off the I/O threads, a bounded number ahead of the writer.
                .emitOn(Infrastructure.getDefaultWorkerPool(), Math.max(1, config.parseAhead()))
                .map(assembler::assemble);
    }

    private CsvRecordReader reader(ImportSql.Claimed job, ImportOptions options) {
        boolean fromStart = job.checkpointOffset() == 0;
        return new CsvRecordReader(options, json, fromStart ? null : job.encoding(), job.delimiter(),
                fromStart ? null : job.header(), job.notes());
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
