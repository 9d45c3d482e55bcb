package dev.sluice.imports;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import java.util.function.Function;

/**
 * All or nothing (onError=abort) and dry runs: every product write goes through one transaction,
 * committed only by a clean apply run and rolled back otherwise. Rejects and progress are written
 * outside it, so the error report and the counts survive the rollback. Once a row is bad in abort
 * mode nothing will be kept, so later batches only collect their rejects.
 */
final class SingleTransactionWrites implements WriteStrategy {
    private final Pool pool;
    private final boolean dryRun;
    private final Function<SqlClient, Uni<Void>> fence;

    /** {@code fence} runs in the transaction just before it commits: it fails when this runner lost the job. */
    SingleTransactionWrites(Pool pool, boolean dryRun, Function<SqlClient, Uni<Void>> fence) {
        this.fence = fence;
        this.pool = pool;
        this.dryRun = dryRun;
    }

    @Override
    public <B extends BatchRef> Uni<ImportPipeline.Outcome> run(
            Multi<B> batches, BatchWork<B> work, ProgressReporter progress, RunControl control) {
        return pool.getConnection()
                .flatMap(conn -> conn.begin()
                        .flatMap(tx -> writeAll(conn, tx, batches, work, progress, control))
                        .eventually(conn::close));
    }

    private <B extends BatchRef> Uni<ImportPipeline.Outcome> writeAll(
            SqlConnection conn,
            Transaction tx,
            Multi<B> batches,
            BatchWork<B> work,
            ProgressReporter progress,
            RunControl control) {
        return batches.onItem()
                .transformToUniAndConcatenate(batch -> writeOne(conn, batch, work, progress, control))
                .collect()
                .last()
                .flatMap(last -> end(conn, tx, progress))
                .onFailure()
                .call(e -> tx.rollback().onFailure().recoverWithNull());
    }

    private <B extends BatchRef> Uni<Void> writeOne(
            SqlConnection conn, B batch, BatchWork<B> work, ProgressReporter progress, RunControl control) {
        control.check();
        boolean write = dryRun || (progress.rejected() == 0 && batch.rejectedCount() == 0);
        Uni<BatchWork.Result> written =
                write ? work.write(conn, batch) : Uni.createFrom().item(BatchWork.Result.rejectsOnly(batch));
        return written.flatMap(result -> work.checkpoint(pool, batch, result, false)
                        .invoke(cancel -> {
                            if (cancel) control.requestCancel();
                            progress.batchDone(batch, result.counts());
                        }))
                .replaceWithVoid();
    }

    private Uni<ImportPipeline.Outcome> end(SqlConnection conn, Transaction tx, ProgressReporter progress) {
        if (!dryRun && progress.rejected() == 0) {
            return fence.apply(conn)
                    .chain(tx::commit)
                    .replaceWith(new ImportPipeline.Outcome(ImportStatus.COMPLETED.wire(), null, false));
        }
        ImportPipeline.Outcome outcome = dryRun
                ? new ImportPipeline.Outcome(ImportStatus.COMPLETED.wire(), null, false)
                : new ImportPipeline.Outcome(
                        ImportStatus.FAILED.wire(),
                        progress.rejected() + " row(s) were invalid, so nothing "
                                + "was imported (onError=abort); see the error report",
                        true);
        return tx.rollback().replaceWith(outcome);
    }
}
