package dev.sluice.webhook;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class WebhookEndpointRepository implements PanacheRepositoryBase<WebhookEndpoint, UUID> {
    public Uni<List<WebhookEndpoint>> page(int page, int size) {
        return findAll(Sort.by("createdAt").and("id")).page(page, size).list();
    }
}
