package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.List;

/**
 * What a pass does with one batch. {@code write} runs in the transaction a {@link WriteStrategy}
 * gives it: the scan stages keys, the write pass upserts products. {@code checkpoint} then records
 * the batch's rejects and counts and, when asked, moves the job's resume point; it says whether a
 * cancel was requested. Checkpointed writes run both in one transaction; one-transaction runs put
 * the checkpoint outside, so the error report and counts outlive a rollback.
 */
interface BatchWork {
    Uni<Result> write(SqlClient client, Batch batch);

    Uni<Boolean> checkpoint(SqlClient client, Batch batch, Result result, boolean moveResumePoint);

    /** The batch's counts, and rows the database refused (beyond the mapper's rejects, already in the batch). */
    record Result(BatchCounts counts, List<RejectedRow> refused) {
        static Result rejectsOnly(Batch batch) {
            return new Result(new BatchCounts(0, 0, 0, 0, batch.rejects().size()), List.of());
        }
    }
}
