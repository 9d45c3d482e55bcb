package dev.sluice.warmup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Warming the read path before this instance reports ready (see {@link WarmUp}). Off by default: a
 * scale-from-zero start wants readiness soonest; a replica an autoscaler adds under load wants its
 * first seconds at full speed.
 */
@ConfigMapping(prefix = "app.warm-up")
public interface WarmUpConfig {
    /** The longest the warm-up may hold readiness back; 0 turns it off. */
    @WithDefault("0s")
    Duration maxDuration();

    /** It ends sooner once the request rate stops rising, but never before this. */
    @WithDefault("3s")
    Duration minDuration();

    /** Requests in flight at once against this instance's own port. */
    @WithDefault("16")
    int connections();
}
