package dev.sluice.imports;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Each batch commits with its checkpoint (onError=skip, and every scan): a crash loses at most the
 * batches in flight, and the resume redoes exactly those. Up to {@code inFlight} batches are written
 * at once on their own connections; {@link CommitOrder} makes their checkpoints commit in file order,
 * so a checkpoint still means "everything before this offset is in". Batches never touch the same
 * product: the scan's look-ahead leaves each SKU to exactly one row of the file.
 */
final class CheckpointedWrites implements WriteStrategy {
    private final Pool pool;
    private final int inFlight;
    private final ImportMetrics metrics;

    CheckpointedWrites(Pool pool, int inFlight, ImportMetrics metrics) {
        this.pool = pool;
        this.inFlight = Math.max(1, inFlight);
        this.metrics = metrics;
    }

    @Override
    public Uni<ImportPipeline.Outcome> run(Multi<Batch> batches, BatchWork work, ProgressReporter progress,
                                           RunControl control) {
        CommitOrder order = new CommitOrder();
        return batches.onItem()
                .transformToUni(batch -> writeInTurn(batch, order.next(), work, progress, control))
                .merge(inFlight)
                .collect().last()
                .replaceWith(() -> new ImportPipeline.Outcome(ImportStatus.COMPLETED.wire(), null, false));
    }

    private Uni<Void> writeInTurn(Batch batch, CommitOrder.Turn turn, BatchWork work, ProgressReporter progress,
                                  RunControl control) {
        // Cancelled or shutting down: stop here, but only once the batch before has committed and been
        // counted, so the job's counts and checkpoint describe exactly what is in the table.
        Uni<Void> start = Uni.createFrom().voidItem()
                .invoke(control::check)
                .onFailure().call(e -> turn.previous().onFailure().recoverWithNull());
        return start
                .chain(() -> commit(batch, turn, work))
                .invoke(step -> {
                    if (step.cancel()) control.requestCancel();
                    progress.batchDone(batch, step.counts());
                })
                .onItemOrFailure().invoke((step, failure) -> turn.finished(failure))
                .replaceWithVoid();
    }

    /**
     * The checkpoint commits with its batch, so a commit PostgreSQL loses in a crash loses its
     * checkpoint too and the resume redoes exactly that batch: no need to wait for the WAL flush.
     */
    private Uni<Step> commit(Batch batch, CommitOrder.Turn turn, BatchWork work) {
        long started = System.nanoTime();
        return pool.withTransaction(conn -> conn.query("set local synchronous_commit = off").execute()
                        .flatMap(x -> work.write(conn, batch))
                        // In file order: the checkpoint says everything before it is in.
                        .call(result -> turn.previous())
                        .flatMap(result -> work.checkpoint(conn, batch, result, true)
                                .map(cancel -> new Step(result.counts(), cancel))))
                .invoke(step -> metrics.batchWritten(started));
    }

    private record Step(BatchCounts counts, boolean cancel) {}
}
