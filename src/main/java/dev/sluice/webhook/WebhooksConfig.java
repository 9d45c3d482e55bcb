package dev.sluice.webhook;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "app.webhooks")
public interface WebhooksConfig {
    /**
     * CIDRs a webhook URL may resolve to even though they are loopback, private, link-local or
     * reserved. Empty in prod: such addresses are refused.
     */
    Optional<List<String>> allowedNetworks();

    /** Delays before each retry after a failed attempt; when they run out the delivery has failed. */
    @WithDefault("5s,5m,30m,2h,5h,10h,10h")
    List<Duration> retrySchedule();

    /** Each delay is spread by ± this fraction, so retries of one outage don't arrive all at once. */
    @WithDefault("0.2")
    double retryJitter();

    /** Longest wait accepted from a receiver's Retry-After. */
    @WithDefault("24h")
    Duration maxRetryAfter();

    /** Whole-request timeout: connect, send, response. */
    @WithDefault("15s")
    Duration timeout();

    /** Deliveries in flight at once on this instance. */
    @WithDefault("32")
    int maxConcurrency();

    /** Deliveries in flight at once to one endpoint, across instances. */
    @WithDefault("4")
    int maxConcurrencyPerEndpoint();

    /** An endpoint whose attempts have all failed for this long is disabled. */
    @WithDefault("5d")
    Duration disableAfter();

    /** How long a rotated-out secret keeps signing beside the new one. */
    @WithDefault("24h")
    Duration previousSecretTtl();

    /** How often the dispatcher looks for due deliveries (retries, and anything a wake-up missed). */
    @WithDefault("1s")
    Duration sweepInterval();

    /** Response body kept for the delivery log. */
    @WithDefault("1K")
    MemorySize maxLoggedResponse();
}
