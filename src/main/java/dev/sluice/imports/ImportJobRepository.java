package dev.sluice.imports;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ImportJobRepository implements PanacheRepositoryBase<ImportJob, UUID> {

    public Uni<List<ImportJob>> page(String status, int page, int size) {
        Sort newestFirst = Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        return (status == null ? findAll(newestFirst) : find("status", newestFirst, status))
                .page(Page.of(page, size))
                .list();
    }

    public Uni<Long> countByStatus(String status) {
        return status == null ? count() : count("status", status);
    }
}
