package dev.sluice.imports;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "app.imports")
public interface ImportsConfig {
    /** Rows per batch: one upsert statement and one checkpoint each. */
    @WithDefault("5000")
    int batchSize();

    /** Parsed batches allowed to wait for the writer (memory ≈ batch size × this). */
    @WithDefault("2")
    int parseAhead();

    /**
     * Batches written at once, each on its own connection and transaction. They commit in file order
     * (a checkpoint means "everything before this offset is in"), and a batch sharing a SKU with the
     * one before it waits for it, so last-wins and the counts are what one at a time gives.
     */
    @WithDefault("2")
    int writesInFlight();

    /** Largest single CSV record; longer fails the import (usually an unclosed quote). */
    @WithDefault("1M")
    MemorySize maxRecordSize();

    /** How long a runner's claim on a job lasts without renewal (then another replica takes over). */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How often a runner renews its lease (and notices a cancel). */
    @WithDefault("500ms")
    Duration leaseRenewInterval();

    /** How often idle instances look for queued or orphaned jobs. */
    @WithDefault("2s")
    Duration pollInterval();

    /** Minimum time between two progress events. */
    @WithDefault("250ms")
    Duration progressInterval();

    /** Lifetime of an EventSource token from /api/imports/{id}/events-token. */
    @WithDefault("60s")
    Duration eventsTokenTtl();

    /** SSE keep-alive comment interval. */
    @WithDefault("15s")
    Duration sseHeartbeat();

    /** How often an SSE stream re-reads the job from the database (the safety net when Redis is down). */
    @WithDefault("2s")
    Duration sseDbPoll();

    /**
     * Runs of one import interrupted in a row by lost connections (without its checkpoint moving)
     * before it may be failed; it is failed only once {@link #retryBudget()} has passed as well.
     */
    @WithDefault("10")
    int maxAttempts();

    /**
     * Wait before an interrupted run is retried, doubled with each interruption in a row up to
     * {@link #retryBackoffMax()}, and between half and all of that at random. The instance that was
     * interrupted waits twice as long, so another instance gets the first chance.
     */
    @WithDefault("2s")
    Duration retryBackoff();

    /** Longest wait between two interrupted runs. */
    @WithDefault("1m")
    Duration retryBackoffMax();

    /**
     * How long since the first interruption in a row an import keeps being retried: an outage has to
     * outlast this (and {@link #maxAttempts()} runs) before the import fails for it.
     */
    @WithDefault("15m")
    Duration retryBudget();
}
