package dev.sluice.imports;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ImportJobRepository implements PanacheRepositoryBase<ImportJob, UUID> {

    /** Newest first, optionally of one status and one kind. */
    public Uni<List<ImportJob>> page(String status, String kind, int page, int size) {
        Sort newestFirst = Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        return find(filter(status, kind), newestFirst, params(status, kind))
                .page(Page.of(page, size))
                .list();
    }

    public Uni<Long> countByStatus(String status, String kind) {
        return count(filter(status, kind), params(status, kind));
    }

    /** The latest undo of {@code target} if it was cancelled or failed (it can be resumed), else null. */
    public Uni<ImportJob> stoppedUndoOf(UUID target) {
        return find(
                        "undoOf = ?1 and kind = 'undo' and status in ('cancelled', 'failed')",
                        Sort.descending("createdAt"),
                        target)
                .firstResult();
    }

    /** Only the filters given: a null bound in "is null or" can't be typed by the driver. */
    private static String filter(String status, String kind) {
        if (status == null && kind == null) return "1 = 1";
        if (status == null) return "kind = :kind";
        return kind == null ? "status = :status" : "status = :status and kind = :kind";
    }

    private static Parameters params(String status, String kind) {
        Parameters p = new Parameters();
        if (status != null) p = p.and("status", status);
        if (kind != null) p = p.and("kind", kind);
        return p;
    }
}
