package dev.sluice.webhook;

import dev.sluice.common.ApiException;
import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyStatus;
import dev.sluice.common.InstanceId;
import dev.sluice.common.PgNotices;
import dev.sluice.secrets.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Sends what the outbox holds. Woken at once by PostgreSQL's NOTIFY from {@code webhook_enqueue}
 * (delivered at commit, to every replica), by a timer when a short retry falls due, and swept by the
 * scheduler for everything else. Caps: {@code max-concurrency} in flight on this instance, and
 * {@code max-concurrency-per-endpoint} per endpoint across instances (enforced by the claim query).
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final String CHANNEL = "sluice_webhooks";

    private final DeliverySql sql;
    private final AddressGuard guard;
    private final WebhookSender sender;
    private final WebhooksConfig config;
    private final Vertx vertx;
    private final String owner;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean wokenWhileClaiming = new AtomicBoolean();
    private volatile boolean stopped;
    private final PgNotices notices;

    private final MeterRegistry meters;
    private final DependencyStatus dependencies;
    private final WebhookSecrets secrets;

    public WebhookDispatcher(
            DeliverySql sql,
            AddressGuard guard,
            WebhookSender sender,
            WebhooksConfig config,
            Vertx vertx,
            InstanceId instance,
            MeterRegistry meters,
            DependencyStatus dependencies,
            WebhookSecrets secrets,
            PgNotices notices) {
        this.notices = notices;
        this.secrets = secrets;
        this.meters = meters;
        this.dependencies = dependencies;
        this.sql = sql;
        this.guard = guard;
        this.sender = sender;
        this.config = config;
        this.vertx = vertx;
        this.owner = instance.value();
    }

    void start(@Observes StartupEvent ev) {
        // A wake-up on every NOTIFY, and one each time the LISTEN (re)starts: deliveries queued while it was
        // down are claimed then, not only at the next sweep.
        notices.listen(
                CHANNEL,
                payload -> wake(),
                this::wake,
                null,
                e -> LOG.warnf("Webhook wake-ups unavailable (%s); the sweep still delivers", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent ev) {
        stopped = true;
    }

    @Scheduled(every = "${app.webhooks.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        wake();
    }

    /** Claims and sends due deliveries, as many as the caps allow. */
    public void wake() {
        // Deliveries need only PostgreSQL (the outbox and the attempt log); without it a claim can't
        // succeed and the sweep would only log failures.
        if (stopped || !dependencies.up(Dependency.POSTGRESQL)) return;
        // Nor while a stored secret can't be decrypted (wrong APP_SECRETS_KEY): the deliveries wait, untouched.
        if (!secrets.ready()) return;
        if (!claiming.compareAndSet(false, true)) {
            wokenWhileClaiming.set(true);
            return;
        }
        wokenWhileClaiming.set(false);
        int free = config.maxConcurrency() - inFlight.get();
        if (free <= 0) {
            claiming.set(false);
            return;
        }
        sql.claim(owner, free, config.maxConcurrencyPerEndpoint(), lease())
                .subscribe()
                .with(
                        due -> {
                            due.forEach(this::sendClaimed);
                            claiming.set(false);
                            // A full claim may have left more behind; a wake-up during the claim may have new work.
                            if (due.size() == free || wokenWhileClaiming.get()) wake();
                        },
                        e -> {
                            claiming.set(false);
                            LOG.warnf("Could not claim webhook deliveries: %s", e.getMessage());
                        });
    }

    private void sendClaimed(DeliverySql.Due d) {
        inFlight.incrementAndGet();
        deliver(d, owner, true, true)
                .eventually(inFlight::decrementAndGet)
                .subscribe()
                .with(
                        done -> {
                            Instant next = done.outcome().nextAttemptAt();
                            if (next != null) {
                                long ms = Duration.between(Instant.now(), next).toMillis();
                                // Short retries are timed here; longer ones are the sweep's.
                                if (ms < config.sweepInterval().toMillis() * 10)
                                    vertx.setTimer(Math.max(1, ms), t -> wake());
                            }
                            wake();
                        },
                        e -> LOG.warnf("Webhook delivery %s: %s", d.id(), e.getMessage()));
    }

    /**
     * One attempt of a delivery claimed by {@code lockedBy}: guard, sign, send, record.
     * {@code retrying}: a failure schedules the next retry; {@code affectsEndpoint}: the result counts
     * toward the endpoint's health (not for test events).
     */
    public Uni<Delivered> deliver(DeliverySql.Due d, String lockedBy, boolean retrying, boolean affectsEndpoint) {
        Instant attemptedAt = Instant.now();
        String messageId = WebhookSigner.messageId(d.eventId());
        List<String> keys;
        try {
            keys = secrets.open(d);
        } catch (SecretBox.Unreadable e) {
            return Uni.createFrom()
                    .failure(new ApiException(
                            503,
                            "Webhook secret unreadable",
                            "The endpoint's signing secret can't be decrypted with this instance's APP_SECRETS_KEY"));
        }
        return guard.check(d.url())
                .flatMap(target -> {
                    long ts = Instant.now().getEpochSecond();
                    String signature = WebhookSigner.signatureHeader(keys, messageId, ts, d.payload());
                    return sender.post(target, messageId, ts, signature, d.payload());
                })
                .onFailure(AddressGuard.Refused.class)
                .recoverWithItem(e -> new WebhookSender.Result(null, 0, "Refused: the URL " + e.getMessage(), null))
                .map(r -> outcome(d, r, attemptedAt, retrying, affectsEndpoint))
                .invoke(o -> meters.counter(
                                "sluice.webhook.deliveries",
                                "outcome",
                                o.success() ? "succeeded" : "pending".equals(o.status()) ? "retrying" : "failed")
                        .increment())
                .flatMap(o -> sql.record(d, lockedBy, o, config.disableAfter()).map(n -> new Delivered(o, n)));
    }

    /** An attempt's outcome and number (null if the lease was lost before it could be recorded). */
    public record Delivered(DeliverySql.Outcome outcome, Integer attempt) {}

    DeliverySql.Outcome outcome(
            DeliverySql.Due d, WebhookSender.Result r, Instant at, boolean retrying, boolean affects) {
        if (r.success()) {
            return new DeliverySql.Outcome(
                    "succeeded", null, r.statusCode(), r.responseMs(), null, at, true, false, affects);
        }
        boolean gone = r.statusCode() != null && r.statusCode() == 410;
        List<Duration> schedule = config.retrySchedule();
        if (gone || !retrying || d.attempts() >= schedule.size()) {
            return new DeliverySql.Outcome(
                    "failed", null, r.statusCode(), r.responseMs(), r.error(), at, false, gone && affects, affects);
        }
        Duration delay = jitter(schedule.get(d.attempts()));
        if (r.retryAfter() != null) {
            Duration asked =
                    r.retryAfter().compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : r.retryAfter();
            if (asked.compareTo(delay) > 0) delay = asked;
        }
        return new DeliverySql.Outcome(
                "pending",
                Instant.now().plus(delay),
                r.statusCode(),
                r.responseMs(),
                r.error(),
                at,
                false,
                false,
                affects);
    }

    private Duration jitter(Duration d) {
        double spread = Math.max(0, Math.min(1, config.retryJitter()));
        double factor = 1 + (spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread));
        return Duration.ofMillis(Math.max(1, Math.round(d.toMillis() * factor)));
    }

    /** Long enough for a whole attempt and its bookkeeping; a crashed sender's deliveries return after it. */
    Duration lease() {
        return config.timeout().plusSeconds(30);
    }

    /** A lock holder name for one send made on request: distinct from this dispatcher's, so neither takes the other's. */
    String manualOwner() {
        return owner + "/manual/" + UUID.randomUUID();
    }
}
