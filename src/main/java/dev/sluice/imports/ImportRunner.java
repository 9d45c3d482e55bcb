package dev.sluice.imports;

import dev.sluice.common.BackendFaults;
import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyStatus;
import dev.sluice.common.InstanceId;
import dev.sluice.common.JobLog;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.upload.S3Faults;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Claims import jobs from the table (any replica may run any job; one import runs at a time),
 * renews the lease while running, and records how each run ended. A job whose runner died is
 * claimed again once its lease expires and resumes from its last checkpoint. An instance claims
 * only while PostgreSQL and the bucket answer it (the readiness it reports), and a run cut short
 * by either is retried with backoff, preferably elsewhere, until a retry budget of minutes is spent.
 */
@ApplicationScoped
public class ImportRunner {
    private static final Logger LOG = Logger.getLogger(ImportRunner.class);
    private static final JobLog JOB_LOG = new JobLog(ImportRunner.class);
    /** What a run needs. Not Redis: progress falls back to the database without it. */
    static final List<Dependency> NEEDS = List.of(Dependency.POSTGRESQL, Dependency.S3);
    /** Runner-private outcome: cut short by a dependency; {@link #interrupted} decides what follows. */
    private static final String INTERRUPTED = "interrupted";

    private final ImportSql sql;
    private final ImportPipeline pipeline;
    private final ProgressPublisher progress;
    private final ImportsConfig config;
    private final Vertx vertx;
    private final String owner;
    private final DependencyStatus dependencies;
    private final Map<UUID, RunControl> running = new ConcurrentHashMap<>();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private volatile boolean stopping;

    public ImportRunner(
            ImportSql sql,
            ImportPipeline pipeline,
            ProgressPublisher progress,
            ImportsConfig config,
            Vertx vertx,
            InstanceId instance,
            MeterRegistry meters,
            DependencyStatus dependencies) {
        Gauge.builder("sluice.imports.running", running, Map::size)
                .description("Imports running on this instance")
                .register(meters);
        this.sql = sql;
        this.pipeline = pipeline;
        this.progress = progress;
        this.config = config;
        this.vertx = vertx;
        this.owner = instance.value();
        this.dependencies = dependencies;
    }

    void start(@Observes StartupEvent ev) {
        long every = config.pollInterval().toMillis();
        vertx.setPeriodic(every, every, id -> wake());
    }

    /** Looks for work now (called after a job is created, and periodically). */
    public void wake() {
        // Not ready, no claim: a job taken here without S3 would only fail, while a replica that can
        // reach it is about to resume it.
        if (stopping || !running.isEmpty() || !dependencies.up(NEEDS) || !claiming.compareAndSet(false, true)) return;
        sql.claim(owner, config.leaseDuration())
                .eventually(() -> claiming.set(false))
                .subscribe()
                .with(
                        job -> {
                            if (job != null) run(job);
                        },
                        e -> LOG.warnf("Could not claim import jobs: %s", e.getMessage()));
    }

    /** Asks a job running here to stop (a cancel on another replica reaches it through the lease renewal). */
    public void cancelLocally(UUID id) {
        RunControl c = running.get(id);
        if (c != null) c.requestCancel();
    }

    private void run(ImportSql.Claimed job) {
        RunControl control = new RunControl();
        running.put(job.id(), control);
        long every = config.leaseRenewInterval().toMillis();
        long timer = vertx.setPeriodic(
                every,
                every,
                t -> sql.renew(job.id(), owner, config.leaseDuration())
                        .subscribe()
                        .with(
                                cancel -> {
                                    if (cancel == null) control.leaseLost = true;
                                    else if (cancel) control.requestCancel();
                                },
                                e -> LOG.debugf("Lease renewal failed: %s", e.getMessage())));
        if (job.kind() == JobKind.UNDO) {
            JOB_LOG.info(
                    job.id(), "Undo %s of %s: starting at its batch %d", job.id(), job.undoOf(), job.writtenBatches());
        } else {
            JOB_LOG.info(job.id(), "Import %s: starting at byte %d", job.id(), job.checkpointOffset());
        }
        // Deferred: an exception thrown while the run is set up must end up in the outcome below, not escape it.
        Uni.createFrom()
                .deferred(() -> pipeline.run(job, control, owner))
                .onFailure()
                .recoverWithItem(e -> switch (e) {
                    case RunSignal.Cancelled c ->
                        new ImportPipeline.Outcome(ImportStatus.CANCELLED.wire(), null, false);
                    case RunSignal.LeaseLost l -> null;
                    case RunSignal.Shutdown s -> new ImportPipeline.Outcome(ImportStatus.QUEUED.wire(), null, false);
                    case ImportFailure f ->
                        new ImportPipeline.Outcome(ImportStatus.FAILED.wire(), f.getMessage(), false);
                    default -> {
                        if (S3Faults.missing(e)) {
                            yield new ImportPipeline.Outcome(
                                    ImportStatus.FAILED.wire(),
                                    "The file is no longer in the bucket (" + job.objectKey() + ")",
                                    false);
                        }
                        if (BackendFaults.unreachable(e) || S3Faults.transientRead(e)) {
                            // A lost database or S3 connection is not the file's fault: the job goes back with a
                            // backoff and resumes from its last checkpoint (a ranged GET), preferably on another
                            // replica. This one stops claiming until its own check sees the service answer.
                            Dependency lost = S3Faults.fromS3(e) ? Dependency.S3 : Dependency.POSTGRESQL;
                            dependencies.reportFailure(lost, e);
                            yield new ImportPipeline.Outcome(
                                    INTERRUPTED, lost.label() + " was unreachable (" + e.getMessage() + ")", false);
                        }
                        String ref = UUID.randomUUID().toString();
                        JOB_LOG.error(job.id(), e, "Import %s failed (error id %s)", job.id(), ref);
                        yield new ImportPipeline.Outcome(
                                ImportStatus.FAILED.wire(), "Internal error (error id " + ref + ")", false);
                    }
                })
                .flatMap(outcome -> finish(job, outcome))
                .eventually(() -> {
                    vertx.cancelTimer(timer);
                    running.remove(job.id());
                })
                .subscribe()
                .with(
                        x -> wake(),
                        e -> JOB_LOG.error(job.id(), e, "Import %s: could not record the outcome", job.id()));
    }

    private Uni<Void> finish(ImportSql.Claimed job, ImportPipeline.Outcome outcome) {
        if (outcome == null) {
            JOB_LOG.warn(job.id(), "Import %s: another instance took over", job.id());
            return Uni.createFrom().voidItem();
        }
        if (INTERRUPTED.equals(outcome.status())) return interrupted(job, outcome.error());
        if (ImportStatus.QUEUED.is(outcome.status())) {
            JOB_LOG.info(job.id(), "Import %s: handed back at its checkpoint", job.id());
            return sql.release(job.id(), owner);
        }
        return sql.finish(job.id(), owner, outcome.status(), outcome.error(), outcome.discardApplied())
                .flatMap(mine -> !mine ? Uni.createFrom().voidItem() : publishFinal(job.id()))
                .invoke(() -> JOB_LOG.info(
                        job.id(),
                        "Import %s: %s%s",
                        job.id(),
                        outcome.status(),
                        outcome.error() == null ? "" : " (" + outcome.error() + ")"))
                .invoke(() -> {
                    if (ImportStatus.COMPLETED.is(outcome.status())) {
                        sql.analyzeProducts()
                                .subscribe()
                                .with(
                                        x -> {},
                                        e -> JOB_LOG.warn(
                                                job.id(), "analyze after import %s: %s", job.id(), e.getMessage()));
                    }
                });
    }

    /** Requeues the job with a backoff, or fails it once the retry budget is spent, saying why. */
    private Uni<Void> interrupted(ImportSql.Claimed job, String why) {
        return sql.interrupted(
                        job.id(),
                        owner,
                        why,
                        config.retryBackoff(),
                        config.retryBackoffMax(),
                        config.maxAttempts(),
                        config.retryBudget())
                .flatMap(i -> {
                    if (i == null) {
                        JOB_LOG.warn(job.id(), "Import %s: another instance took over", job.id());
                        return Uni.createFrom().voidItem();
                    }
                    if (i.requeued()) {
                        JOB_LOG.warn(
                                job.id(),
                                "Import %s: interrupted, run %d in a row: %s; it resumes from its checkpoint in %s or later",
                                job.id(),
                                i.runs(),
                                why,
                                human(i.retryIn()));
                        return Uni.createFrom().voidItem();
                    }
                    String error = "Gave up after " + i.runs() + " interrupted runs over " + human(i.over())
                            + " without progress; the last: " + why;
                    return finish(job, new ImportPipeline.Outcome(ImportStatus.FAILED.wire(), error, false));
                });
    }

    /** "850 ms", "42 s", "16 min". */
    static String human(Duration d) {
        if (d.toMillis() < 1000) return d.toMillis() + " ms";
        if (d.toSeconds() < 120) return d.toSeconds() + " s";
        return d.toMinutes() + " min";
    }

    private Uni<Void> publishFinal(UUID id) {
        return sql.snapshot(id).flatMap(progress::publish);
    }

    /** SIGTERM: stop after the current batch and hand running jobs back (skip mode resumes at the checkpoint). */
    void stop(@Observes ShutdownEvent ev) {
        stopping = true;
        running.values().forEach(c -> c.shuttingDown = true);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!running.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
