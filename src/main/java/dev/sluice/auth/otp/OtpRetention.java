package dev.sluice.auth.otp;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionConfig;
import dev.sluice.common.RetentionTask;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/** Forgets an email's code state once nothing in it matters any more (no live code, lock, cooldown or hourly window). */
@ApplicationScoped
public class OtpRetention implements RetentionTask {
    private final MaintenanceRuns runs;
    private final RetentionConfig config;

    public OtpRetention(MaintenanceRuns runs, RetentionConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Override
    public String name() {
        return "otp-codes";
    }

    @Override
    public Uni<Long> purge() {
        var now = Instant.now().atOffset(ZoneOffset.UTC);
        // Every rule looks back at most an hour (the cap's window) or forward to expires_at / locked_until.
        return runs.deleteInBatches("""
                delete from otp_codes where email in (
                    select email from otp_codes
                    where updated_at < $2 - interval '1 hour'
                      and coalesce(expires_at, '-infinity') < $2 and coalesce(locked_until, '-infinity') < $2
                      and coalesce(window_start, '-infinity') < $2 - interval '1 hour'
                    limit $1)""", config.batchSize(), now);
    }
}
