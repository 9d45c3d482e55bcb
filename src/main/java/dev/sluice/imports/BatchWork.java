package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.List;

/**
 * What a pass does with one batch. {@code write} runs in the transaction a {@link WriteStrategy}
 * gives it: the scan stages rows, the write phase merges a staged batch into the catalog.
 * {@code checkpoint} then records the batch's rejects and counts and, when asked, moves the job's
 * resume point; it says whether a cancel was requested. Checkpointed writes run both in one
 * transaction; one-transaction runs put the checkpoint outside, so the error report and counts
 * outlive a rollback.
 */
interface BatchWork<B extends BatchRef> {
    Uni<Result> write(SqlClient client, B batch);

    Uni<Boolean> checkpoint(SqlClient client, B batch, Result result, boolean moveResumePoint);

    /** The batch's counts, rows to add to the error report, and a dry run's changes to keep (JSON, or null). */
    record Result(BatchCounts counts, List<RejectedRow> rejects, String changes) {
        Result(BatchCounts counts, List<RejectedRow> rejects) {
            this(counts, rejects, null);
        }

        static Result rejectsOnly(BatchRef batch) {
            return new Result(new BatchCounts(0, 0, 0, 0, batch.rejectedCount()), List.of());
        }
    }
}
