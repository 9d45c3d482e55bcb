package dev.sluice.webhook;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionConfig;
import dev.sluice.common.RetentionTask;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/** Deletes the log of deliveries that ended long ago, and the events no delivery needs any more. */
@ApplicationScoped
public class WebhookRetention implements RetentionTask {
    private final MaintenanceRuns runs;
    private final RetentionConfig config;

    public WebhookRetention(MaintenanceRuns runs, RetentionConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Override
    public String name() {
        return "webhook-deliveries";
    }

    @Override
    public Uni<Long> purge() {
        var cutoff = Instant.now().minus(config.webhookDeliveries()).atOffset(ZoneOffset.UTC);
        // Attempts go with their delivery (on delete cascade); pending deliveries are never touched.
        return runs.deleteInBatches("""
                        delete from webhook_deliveries where id in (
                            select id from webhook_deliveries where status <> 'pending' and completed_at < $2 limit $1)""", config.batchSize(), cutoff)
                .flatMap(deliveries ->
                        runs.deleteInBatches("""
                                delete from webhook_events where id in (
                                    select e.id from webhook_events e where e.created_at < $2
                                    and not exists (select 1 from webhook_deliveries d where d.event_id = e.id) limit $1)""", config.batchSize(), cutoff).map(events -> deliveries + events));
    }
}
