package dev.sluice.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long things are kept, and how often the clean-up jobs run. */
@ConfigMapping(prefix = "app.retention")
public interface RetentionConfig {
    /** How often each clean-up job runs (once across all replicas). */
    @WithDefault("1h")
    Duration interval();

    /** Webhook deliveries that ended (succeeded or failed) are deleted after this long. */
    @WithDefault("30d")
    Duration webhookDeliveries();

    /** Audit entries are deleted after this long. */
    @WithDefault("365d")
    Duration audit();

    /** The uploaded file of a finished import is deleted from S3 after this long. */
    @WithDefault("7d")
    Duration importObjects();

    /** Recorded product changes are deleted after this long; the jobs that made them can't be undone after. */
    @WithDefault("90d")
    Duration productHistory();

    /** Rows deleted per statement. */
    @WithDefault("5000")
    int batchSize();

    /** The minimum time between two runs of a job across replicas: most of an interval. */
    default Duration minGap() {
        return Duration.ofMillis(interval().toMillis() * 9 / 10);
    }
}
