package dev.sluice.auth;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionConfig;
import dev.sluice.common.RetentionTask;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/** Purges expired refresh tokens, and sessions that expired (their tokens go with them). */
@ApplicationScoped
public class SessionRetention implements RetentionTask {
    private final MaintenanceRuns runs;
    private final RetentionConfig config;

    public SessionRetention(MaintenanceRuns runs, RetentionConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Override
    public String name() {
        return "expired-sessions";
    }

    @Override
    public Uni<Long> purge() {
        var now = Instant.now().atOffset(ZoneOffset.UTC);
        // A used token must outlive its use only while its session lives (reuse detection needs it).
        return runs.deleteInBatches("""
                        delete from refresh_tokens where token_hash in (
                            select token_hash from refresh_tokens where expires_at < $2 limit $1)""", config.batchSize(), now)
                .flatMap(tokens ->
                        runs.deleteInBatches("""
                                delete from auth_sessions where id in (
                                    select id from auth_sessions where expires_at < $2 limit $1)""", config.batchSize(), now).map(sessions -> tokens + sessions));
    }
}
