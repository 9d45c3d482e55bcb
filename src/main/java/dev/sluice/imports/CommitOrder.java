package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;

/**
 * Lets batches be written concurrently while they commit in file order. Each batch gets a turn:
 * {@link Turn#previous()} completes when the batch before it has committed (and fails if that one
 * failed), so a batch's checkpoint is only written once everything before it is in. Batches in
 * flight never lock the same product row: the scan's look-ahead drops every row a later one
 * supersedes, so each SKU has one live row in the whole file. Called in file order from one
 * stream; not thread-safe beyond that.
 */
final class CommitOrder {
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    record Turn(Uni<Void> previous, CompletableFuture<Void> done) {
        /** Call when this batch has committed (or failed) and its results are counted. */
        void finished(Throwable failure) {
            if (failure == null) done.complete(null);
            else done.completeExceptionally(failure);
        }
    }

    Turn next() {
        CompletableFuture<Void> before = last;
        CompletableFuture<Void> done = new CompletableFuture<>();
        last = done;
        return new Turn(Uni.createFrom().completionStage(before), done);
    }
}
