package dev.sluice.audit;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionConfig;
import dev.sluice.common.RetentionTask;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/** Deletes audit entries older than the retention period. */
@ApplicationScoped
public class AuditRetention implements RetentionTask {
    private final MaintenanceRuns runs;
    private final RetentionConfig config;

    public AuditRetention(MaintenanceRuns runs, RetentionConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Override
    public String name() {
        return "audit-log";
    }

    @Override
    public Uni<Long> purge() {
        return runs.deleteInBatches(
                "delete from audit_log where id in (select id from audit_log where at < $2 limit $1)",
                config.batchSize(),
                Instant.now().minus(config.audit()).atOffset(ZoneOffset.UTC));
    }
}
