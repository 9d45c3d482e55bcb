package dev.sluice.audit;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Deletes audit entries older than the retention period. */
@ApplicationScoped
public class AuditRetention {
    static final String JOB = "audit-log";
    private final MaintenanceRuns runs;
    private final RetentionConfig config;

    public AuditRetention(MaintenanceRuns runs, RetentionConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Scheduled(every = "${app.maintenance.schedule}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run(config.minGap()).replaceWithVoid();
    }

    public Uni<MaintenanceRuns.Result> run(Duration minGap) {
        return runs.runOnce(JOB, minGap, () -> runs.deleteInBatches(
                "delete from audit_log where id in (select id from audit_log where at < $2 limit $1)",
                config.batchSize(), Instant.now().minus(config.audit()).atOffset(ZoneOffset.UTC)));
    }
}
