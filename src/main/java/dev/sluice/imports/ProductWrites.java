package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.history.HistorySql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The write phase's work: merge one staged batch into the catalog ({@link ProductBatchWriter}), then
 * record the rows the database refused (unknown SKUs in a file without a name column) and the batch's
 * counts with the checkpoint. The batch's mapper rejects, reported by the scan, are counted here.
 * A dry run's recorded changes are kept with the checkpoint, outside the transaction that is rolled back.
 */
final class ProductWrites implements BatchWork<StagedBatch> {
    static final String NO_NAME_REASON =
            "is required to create a product: no product has this SKU yet, " + "and the file has no name column";
    static final String REQUIRED_REASON =
            "required attribute(s) without a value: no product has this SKU yet, and a new product needs them";
    private static final TypeReference<List<String>> CELLS = new TypeReference<>() {};
    private final ProductBatchWriter writer;
    private final ImportSql sql;
    private final ObjectMapper json;
    private final UUID jobId;
    private final String owner;
    private final List<String> present;
    private final boolean lookAhead;
    private final List<String> required;
    private final ProductBatchWriter.History history;
    private final HistorySql historySql;

    ProductWrites(
            ProductBatchWriter writer,
            ImportSql sql,
            ObjectMapper json,
            UUID jobId,
            String owner,
            List<String> present,
            List<String> required,
            boolean lookAhead,
            ProductBatchWriter.History history,
            HistorySql historySql) {
        this.required = required;
        this.history = history;
        this.historySql = historySql;
        this.writer = writer;
        this.sql = sql;
        this.json = json;
        this.jobId = jobId;
        this.owner = owner;
        this.present = present;
        this.lookAhead = lookAhead;
    }

    /** Tries of a batch whose history raced another writer, before the run fails for it. */
    static final int RACED_TRIES = 5;

    @Override
    public Uni<Result> write(SqlClient client, StagedBatch batch) {
        return recordedWrite(client, batch, 1).map(written -> {
            if (written.staged() != batch.staged()) {
                throw new ImportFailure("The staged rows of batch " + batch.batch() + " are gone (PostgreSQL "
                        + "restarted without a clean shutdown during the import); start the import again");
            }
            BatchCounts counts = written.counts().plus(new BatchCounts(0, 0, 0, 0, batch.rejected()));
            return new Result(counts, refused(written), written.changes());
        });
    }

    /**
     * The write, in a savepoint when it records history: if another transaction changed one of the
     * batch's products between the statement's snapshot and its write (an API edit during the import),
     * the before-values it recorded would be stale, so the batch is rolled back to the savepoint and
     * written again, with a snapshot that sees that change.
     */
    private Uni<ProductBatchWriter.Written> recordedWrite(SqlClient client, StagedBatch batch, int attempt) {
        if (history == ProductBatchWriter.History.OFF) {
            return writer.write(client, jobId, batch.batch(), present, required, lookAhead, history);
        }
        return client.query("savepoint batch_write")
                .execute()
                .chain(() -> writer.write(client, jobId, batch.batch(), present, required, lookAhead, history))
                .flatMap(written -> {
                    if (written.raced() == 0) return Uni.createFrom().item(written);
                    if (attempt >= RACED_TRIES) {
                        // Said to the user (not an internal error): what happened, and that a run again will do.
                        throw new ImportFailure("Batch " + batch.batch() + " was written " + attempt + " times while "
                                + "other writers kept changing its products; start the import again");
                    }
                    return client.query("rollback to savepoint batch_write")
                            .execute()
                            .chain(() -> recordedWrite(client, batch, attempt + 1));
                });
    }

    @Override
    public Uni<Boolean> checkpoint(SqlClient client, StagedBatch batch, Result result, boolean moveResumePoint) {
        // A dry run's changes and its counts in one transaction, fenced by the lease with the counts: a
        // runner that lost the job keeps nothing.
        if (result.changes() != null && client instanceof Pool pool) {
            return pool.withTransaction(conn -> record(conn, batch, result, moveResumePoint));
        }
        return record(client, batch, result, moveResumePoint);
    }

    private Uni<Boolean> record(SqlClient client, StagedBatch batch, Result result, boolean moveResumePoint) {
        return sql.insertRejects(client, jobId, result.rejects())
                .call(() -> historySql.keepDryRun(client, jobId, batch.batch(), result.changes()))
                .chain(() -> sql.progress(
                        client,
                        jobId,
                        owner,
                        result.counts(),
                        batch.rows(),
                        batch.endOffset(),
                        batch.batch() + 1,
                        moveResumePoint));
    }

    private List<RejectedRow> refused(ProductBatchWriter.Written written) {
        if (written.refusedLines().isEmpty()) return List.of();
        List<RejectedRow> out = new ArrayList<>(written.refusedLines().size());
        for (int i = 0; i < written.refusedLines().size(); i++) {
            out.add(new RejectedRow(
                    written.refusedLines().get(i),
                    cells(written.refusedRaw().get(i)),
                    present.contains("name")
                            ? List.of(new RejectedRow.Problem(String.join(", ", required), null, REQUIRED_REASON))
                            : List.of(new RejectedRow.Problem("name", null, NO_NAME_REASON))));
        }
        return out;
    }

    private List<String> cells(String raw) {
        try {
            return raw == null ? List.of() : json.readValue(raw, CELLS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
