package dev.sluice.audit;

import dev.sluice.common.PageResponse;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AuditService {
    private final AuditRepository entries;

    public AuditService(AuditRepository entries) {
        this.entries = entries;
    }

    @WithSession
    public Uni<PageResponse<AuditView>> list(AuditQuery q) {
        return entries.page(q)
                .flatMap(page -> entries.count(q)
                        .map(total -> PageResponse.of(
                                page.stream().map(AuditView::of).toList(), q.page(), q.size(), total, null)));
    }
}
