package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.List;
import java.util.UUID;

/**
 * An undo's work: take one batch of the target job's changes back ({@link UndoSql}), then record
 * the batch's counts and move the resume point past it, in the same transaction. A resumed undo
 * carries on with the next batch of the target; the error report (conflicts) is written by the
 * statement itself.
 */
final class UndoWrites implements BatchWork<UndoBatch> {
    private final UndoSql undo;
    private final ImportSql sql;
    private final UUID jobId;
    private final UUID target;
    private final String owner;
    private final boolean force;
    private final boolean record;

    UndoWrites(UndoSql undo, ImportSql sql, UUID jobId, UUID target, String owner, boolean force, boolean record) {
        this.undo = undo;
        this.sql = sql;
        this.jobId = jobId;
        this.target = target;
        this.owner = owner;
        this.force = force;
        this.record = record;
    }

    @Override
    public Uni<Result> write(SqlClient client, UndoBatch batch) {
        return undo.undo(client, jobId, target, batch.batch(), force, record)
                .map(counts -> new Result(counts, List.of()));
    }

    @Override
    public Uni<Boolean> checkpoint(SqlClient client, UndoBatch batch, Result result, boolean moveResumePoint) {
        // The statement's own count of the changes it went through: processedRows then always equals
        // deleted + restored + conflicts, whatever the batch listing said.
        return sql.progress(
                client, jobId, owner, result.counts(), result.counts().rows(), 0, batch.batch() + 1, moveResumePoint);
    }
}
