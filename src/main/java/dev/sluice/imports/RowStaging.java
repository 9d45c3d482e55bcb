package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.List;
import java.util.UUID;

/**
 * The scan's work: stage each batch's valid rows and extent, so the write phase knows, before it
 * writes a row, whether a later row of the file supersedes it, and never parses the file again. The
 * mapper's rejects go to the error report now; they are counted when the write phase reaches their
 * batch. Nothing is written to the catalog.
 */
final class RowStaging implements BatchWork<Batch> {
    private final ImportStageSql stage;
    private final ImportSql sql;
    private final UUID jobId;
    private final String owner;

    RowStaging(ImportStageSql stage, ImportSql sql, UUID jobId, String owner) {
        this.stage = stage;
        this.sql = sql;
        this.jobId = jobId;
        this.owner = owner;
    }

    @Override
    public Uni<Result> write(SqlClient client, Batch batch) {
        return stage.stage(client, jobId, batch.number(), batch)
                .call(() -> sql.insertRejects(client, jobId, batch.rejects()))
                .replaceWith(new Result(BatchCounts.ZERO, List.of()));
    }

    @Override
    public Uni<Boolean> checkpoint(SqlClient client, Batch batch, Result result, boolean moveResumePoint) {
        return stage.checkpoint(
                client,
                jobId,
                owner,
                batch.number() + 1,
                batch.rows().size(),
                batch.endOffset(),
                batch.endLine(),
                batch.state());
    }
}
