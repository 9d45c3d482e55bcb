package dev.sluice.webhook;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Deletes the delivery log of deliveries that ended long ago, and events nobody still needs. */
@ApplicationScoped
public class WebhookRetention {
    static final String JOB = "webhook-deliveries";
    private final MaintenanceRuns runs;
    private final RetentionConfig config;

    public WebhookRetention(MaintenanceRuns runs, RetentionConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Scheduled(every = "${app.maintenance.schedule}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run(config.minGap()).replaceWithVoid();
    }

    public Uni<MaintenanceRuns.Result> run(Duration minGap) {
        return runs.runOnce(JOB, minGap, () -> {
            var cutoff = Instant.now().minus(config.webhookDeliveries()).atOffset(ZoneOffset.UTC);
            // Attempts go with their delivery (on delete cascade); pending deliveries are never touched.
            return runs.deleteInBatches("""
                            delete from webhook_deliveries where id in (
                                select id from webhook_deliveries where status <> 'pending' and completed_at < $2 limit $1)""",
                            config.batchSize(), cutoff)
                    .flatMap(deliveries -> runs.deleteInBatches("""
                                    delete from webhook_events where id in (
                                        select e.id from webhook_events e where e.created_at < $2
                                        and not exists (select 1 from webhook_deliveries d where d.event_id = e.id) limit $1)""",
                                    config.batchSize(), cutoff)
                            .map(events -> deliveries + events));
        });
    }
}
