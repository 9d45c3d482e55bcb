package dev.sluice.webhook;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionTask;
import dev.sluice.common.Workers;
import dev.sluice.secrets.SecretBox;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The signing secrets at rest: every stored value is sealed with {@link SecretBox} under
 * APP_SECRETS_KEY, bound to its endpoint's id.
 *
 * <p>At start-up every stored value is checked to open with the configured keys. If one does not (the
 * key it was sealed under is missing or wrong), this instance is not ready, says why in one log line,
 * sends no webhook and writes nothing to the table: restarted with the right keys, it carries on with
 * everything intact. If all open, the re-seal job runs at once (and then hourly, with the clean-ups,
 * once across replicas): plaintext values from before encryption and values sealed under a previous
 * key are sealed again under the current one, so a key can be dropped from APP_SECRETS_PREVIOUS_KEYS
 * once the job has run.
 */
@ApplicationScoped
public class WebhookSecrets implements RetentionTask {
    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    static final String JOB = "webhook-secrets";
    private static final int PAGE = 500;

    /** The last check: {@code problem} null when every stored value opens. */
    public record State(boolean checked, String problem, Instant checkedAt) {
        boolean ok() {
            return checked && problem == null;
        }
    }

    private final SecretBox box;
    private final WebhookSecretSql sql;
    private final MaintenanceRuns runs;
    private final Workers workers;
    private static final Duration RECHECK = Duration.ofSeconds(2);
    private final AtomicBoolean rechecking = new AtomicBoolean();
    private volatile State state = new State(false, "not checked yet", null);

    public WebhookSecrets(SecretBox box, WebhookSecretSql sql, MaintenanceRuns runs, Workers workers) {
        this.box = box;
        this.sql = sql;
        this.runs = runs;
        this.workers = workers;
    }

    void start(@Observes StartupEvent ev) {
        LOG.debugf("Webhook secrets are sealed under key %s", box.currentKid());
        check().flatMap(s -> s.ok()
                        ? runs.runOnce(JOB, Duration.ZERO, this::purge)
                        : Uni.createFrom().nullItem())
                .subscribe()
                .with(x -> {}, e -> LOG.warnf("Webhook secrets: start-up check failed (%s); readiness retries it", e));
    }

    public State state() {
        return state;
    }

    /**
     * Whether deliveries may be signed: every stored secret opened at the last check. While not, a new
     * check is started at most every {@link #RECHECK} (a fixed row or a deleted endpoint clears it).
     */
    public boolean ready() {
        State s = state;
        if (s.ok()) return true;
        if ((s.checkedAt() == null || s.checkedAt().isBefore(Instant.now().minus(RECHECK)))
                && rechecking.compareAndSet(false, true)) {
            check().onTermination()
                    .invoke(() -> rechecking.set(false))
                    .subscribe()
                    .with(x -> {}, e -> {});
        }
        return false;
    }

    /** Seals a new secret for the endpoint {@code id}. */
    String seal(String plain, UUID id) {
        return box.seal(plain, id.toString());
    }

    /** The plaintext secrets of a claimed delivery, for signing. */
    List<String> open(DeliverySql.Due d) {
        List<String> out = new ArrayList<>(d.secrets().size());
        for (String s : d.secrets()) out.add(box.open(s, d.endpointId().toString()));
        return out;
    }

    /** Reads every stored value and tries to open it; records and returns the result. */
    public Uni<State> check() {
        return scan(null)
                .map(problem -> new State(true, problem, Instant.now()))
                .invoke(this::record);
    }

    private Uni<String> scan(UUID after) {
        return sql.page(after, PAGE)
                .flatMap(rows -> workers.call(() -> firstUnreadable(rows)).flatMap(problem -> {
                    if (problem != null || rows.size() < PAGE)
                        return Uni.createFrom().item(problem);
                    return scan(rows.get(rows.size() - 1).id());
                }));
    }

    private String firstUnreadable(List<WebhookSecretSql.Stored> rows) {
        for (var r : rows) {
            try {
                box.open(r.secret(), r.id().toString());
                box.open(r.previousSecret(), r.id().toString());
            } catch (SecretBox.Unreadable e) {
                return "the signing secret of webhook " + r.id() + " is " + e.getMessage();
            }
        }
        return null;
    }

    private void record(State s) {
        State before = state;
        state = s;
        if (!s.ok() && (before.ok() || !before.checked())) {
            LOG.errorf(
                    "Webhook secrets can't be decrypted with APP_SECRETS_KEY / APP_SECRETS_PREVIOUS_KEYS: %s. This"
                            + " instance is not ready and sends no webhooks; nothing stored is changed. Start it with the"
                            + " key(s) the secrets were sealed under (list the old key in APP_SECRETS_PREVIOUS_KEYS).",
                    s.problem());
        } else if (s.ok() && before.checked() && !before.ok()) {
            LOG.info("Webhook secrets: every stored secret decrypts again");
        }
    }

    @Override
    public String name() {
        return JOB;
    }

    /**
     * Re-seals under the current key every value that is plaintext or sealed under a previous key; returns
     * how many rows it rewrote. Refuses (fails) without writing if a value can't be opened.
     */
    @Override
    public Uni<Long> purge() {
        return check().flatMap(s -> {
            if (!s.ok()) return Uni.createFrom().failure(new IllegalStateException(s.problem()));
            return resealFrom(null);
        });
    }

    private Uni<Long> resealFrom(UUID after) {
        return sql.page(after, PAGE)
                .flatMap(rows -> workers.call(() -> resealed(rows))
                        .flatMap(this::write)
                        .flatMap(n -> rows.size() < PAGE
                                ? Uni.createFrom().item(n)
                                : resealFrom(rows.get(rows.size() - 1).id()).map(m -> m + n)));
    }

    private record Reseal(WebhookSecretSql.Stored read, String secret, String previousSecret) {}

    private List<Reseal> resealed(List<WebhookSecretSql.Stored> rows) {
        List<Reseal> out = new ArrayList<>();
        for (var r : rows) {
            if (!box.needsReseal(r.secret()) && !box.needsReseal(r.previousSecret())) continue;
            String ctx = r.id().toString();
            out.add(new Reseal(r, again(r.secret(), ctx), again(r.previousSecret(), ctx)));
        }
        return out;
    }

    private String again(String stored, String ctx) {
        if (stored == null || !box.needsReseal(stored)) return stored;
        return box.seal(box.open(stored, ctx), ctx);
    }

    private Uni<Long> write(List<Reseal> batch) {
        Uni<Long> done = Uni.createFrom().item(0L);
        for (Reseal r : batch) {
            done = done.flatMap(
                    n -> sql.reseal(r.read(), r.secret(), r.previousSecret()).map(k -> n + k));
        }
        return done;
    }
}
