package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Lets batches be written concurrently while they commit in file order. Each batch gets a turn:
 * {@link Turn#previous()} completes when the batch before it has committed (and fails if that one
 * failed), so a batch's checkpoint is only written once everything before it is in. A batch that may
 * touch a SKU of the batch before it waits for that batch before it starts, so two in-flight
 * statements never lock the same row (which, with the commit order on top, would deadlock where
 * PostgreSQL can't see it). "May touch" is judged on the SKUs' digits alone: case folding never
 * changes a digit, so SKUs equal under {@code lower()} always match here; a false match only costs
 * the overlap. Called in file order from one stream; not thread-safe beyond that.
 */
final class CommitOrder {
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    private Set<String> lastKeys = Set.of();

    record Turn(Uni<Void> previous, boolean overlapsPrevious, CompletableFuture<Void> done) {
        /** Call when this batch has committed (or failed) and its results are counted. */
        void finished(Throwable failure) {
            if (failure == null) done.complete(null);
            else done.completeExceptionally(failure);
        }
    }

    Turn next(String[] skus) {
        Set<String> keys = new HashSet<>(skus.length * 2);
        for (String sku : skus) keys.add(digits(sku));
        boolean overlaps = false;
        for (String k : keys) {
            if (lastKeys.contains(k)) {
                overlaps = true;
                break;
            }
        }
        CompletableFuture<Void> before = last;
        CompletableFuture<Void> done = new CompletableFuture<>();
        last = done;
        lastKeys = keys;
        return new Turn(Uni.createFrom().completionStage(before), overlaps, done);
    }

    static String digits(String sku) {
        StringBuilder b = new StringBuilder(sku.length());
        sku.codePoints().filter(Character::isDigit).forEach(b::appendCodePoint);
        return b.toString();
    }
}
