package dev.sluice.imports;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Each batch commits with its checkpoint (onError=skip, and every scan): a crash loses at most the
 * batches in flight, and the resume redoes exactly those. Up to {@code inFlight} batches are written
 * at once on their own connections; {@link CommitOrder} makes their checkpoints commit in file order,
 * so a checkpoint still means "everything before this point is in". Batches in flight never touch the
 * same product: the scan's look-ahead leaves each SKU to exactly one row of the file.
 */
final class CheckpointedWrites implements WriteStrategy {
    private final Pool pool;
    private final int inFlight;
    private final LongConsumer committed;

    /** {@code committed} gets the start (System.nanoTime) of each batch that committed: the write's timer, or nothing. */
    CheckpointedWrites(Pool pool, int inFlight, LongConsumer committed) {
        this.pool = pool;
        this.inFlight = Math.max(1, inFlight);
        this.committed = committed;
    }

    @Override
    public <B extends BatchRef> Uni<ImportPipeline.Outcome> run(
            Multi<B> batches, BatchWork<B> work, ProgressReporter progress, RunControl control) {
        CommitOrder order = new CommitOrder();
        // A failing source (S3 lost mid-download, a parse failure) must not cancel the batches in flight:
        // a cancelled transaction is neither committed nor rolled back, and its connection keeps its
        // locks. The failure takes a turn like a batch and is raised once everything before it is done.
        return batches.onItem()
                .transform(Item::of)
                .onFailure()
                .recoverWithItem(Item::failed)
                .onItem()
                .transformToUni(item -> item.failure() != null
                        ? afterInFlight(order.next(), item.failure())
                        : writeInTurn(item.batch(), order.next(), work, progress, control))
                .merge(inFlight)
                .collect()
                .last()
                .replaceWith(() -> new ImportPipeline.Outcome(ImportStatus.COMPLETED.wire(), null, false));
    }

    private record Item<B>(B batch, Throwable failure) {
        static <B> Item<B> of(B batch) {
            return new Item<>(batch, null);
        }

        static <B> Item<B> failed(Throwable failure) {
            return new Item<>(null, failure);
        }
    }

    private static Uni<Void> afterInFlight(CommitOrder.Turn turn, Throwable failure) {
        return turn.previous()
                .onFailure()
                .recoverWithNull()
                .chain(() -> Uni.createFrom().<Void>failure(failure))
                .onItemOrFailure()
                .invoke((x, e) -> turn.finished(failure));
    }

    private <B extends BatchRef> Uni<Void> writeInTurn(
            B batch, CommitOrder.Turn turn, BatchWork<B> work, ProgressReporter progress, RunControl control) {
        // Cancelled or shutting down: stop here, but only once the batch before has committed and been
        // counted, so the job's counts and checkpoint describe exactly what is in the table.
        Uni<Void> start = Uni.createFrom()
                .voidItem()
                .invoke(control::check)
                .onFailure()
                .call(e -> turn.previous().onFailure().recoverWithNull());
        return start.chain(() -> commit(batch, turn, work))
                // A batch that failed fails the run only once the one before it has ended too: the job's outcome is
                // recorded next, and it must not race an earlier batch's checkpoint for the job row.
                .onFailure()
                .call(e -> turn.previous().onFailure().recoverWithNull())
                .invoke(step -> {
                    if (step.cancel()) control.requestCancel();
                    progress.batchDone(batch, step.counts());
                })
                .onItemOrFailure()
                .invoke((step, failure) -> turn.finished(failure))
                .replaceWithVoid();
    }

    /**
     * The checkpoint commits with its batch, so a commit PostgreSQL loses in a crash loses its
     * checkpoint too and the resume redoes exactly that batch: no need to wait for the WAL flush.
     * <p>
     * The transaction runs to its end even when the stream is cancelled (another batch failed): a
     * cancelled transaction is neither committed nor rolled back and its connection keeps its locks.
     * It can't commit out of order either way, since it waits for the batch before it, and a failed
     * one fails it.
     */
    private <B extends BatchRef> Uni<Step> commit(B batch, CommitOrder.Turn turn, BatchWork<B> work) {
        long started = System.nanoTime();
        CompletableFuture<Step> done = new CompletableFuture<>();
        pool.withTransaction(conn -> conn.query("set local synchronous_commit = off")
                        .execute()
                        .flatMap(x -> work.write(conn, batch))
                        // In file order: the checkpoint says everything before it is in.
                        .call(result -> turn.previous())
                        .flatMap(result -> work.checkpoint(conn, batch, result, true)
                                .map(cancel -> new Step(result.counts(), cancel))))
                .invoke(step -> committed.accept(started))
                .subscribe()
                .with(done::complete, done::completeExceptionally);
        return Uni.createFrom().completionStage(done);
    }

    private record Step(BatchCounts counts, boolean cancel) {}
}
