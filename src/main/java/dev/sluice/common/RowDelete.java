package dev.sluice.common;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * Deletes one loaded entity with a single {@code DELETE … WHERE id = ? AND version = ?} instead of
 * {@code Session.remove}. Hibernate Reactive's delete coordinator keeps per-statement state in a field
 * shared by every session (hibernate-reactive#1713): concurrent removals of the same entity type cross
 * their completions between event loops and fail with HR000069 or hang. A query statement has no
 * shared state, and the version in its WHERE clause keeps the optimistic check the removal made.
 */
public final class RowDelete {
    private RowDelete() {}

    /**
     * Fails with 412 if the row changed or went since it was read (no row matched). Pending changes are
     * flushed first: Hibernate would otherwise flush them at commit, after the statement, onto rows the
     * database may have cascade-deleted with this one.
     */
    public static <E> Uni<Void> atVersion(
            PanacheRepositoryBase<E, UUID> repository, String what, UUID id, Long version) {
        return repository
                .flush()
                .chain(() -> repository.delete("id = ?1 and version = ?2", id, version))
                .invoke(n -> {
                    if (n == 0) {
                        throw new ApiException(
                                412,
                                "Precondition failed",
                                "The " + what
                                        + " was changed or deleted by another request while this one ran; read it again and retry");
                    }
                })
                .replaceWithVoid();
    }
}
