package dev.sluice.common;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

/**
 * Whether the services background work needs answer from this instance, checked every
 * {@code check-interval} and cached. Readiness reports it and the claimers (imports, webhook
 * deliveries, retention) consult it before taking work, so an instance that is not ready does not
 * take work it cannot do (a replica started without {@code S3_ENDPOINT} used to claim imports and
 * fail them). Reading it is a memory read: safe on the event loop.
 */
@ApplicationScoped
public class DependencyStatus {
    private static final Logger LOG = Logger.getLogger(DependencyStatus.class);

    /** The last check's result. {@code checkedAt} null: not checked yet (counts as down). */
    public record State(boolean up, String error, Instant checkedAt) {
        static final State UNCHECKED = new State(false, "not checked yet", null);
    }

    private final Map<Dependency, DependencyProbe> probes = new EnumMap<>(Dependency.class);
    private final Map<Dependency, AtomicReference<State>> states = new EnumMap<>(Dependency.class);
    private final DependenciesConfig config;
    private final Vertx vertx;
    private volatile long timer = -1;

    public DependencyStatus(Instance<DependencyProbe> probes, DependenciesConfig config, Vertx vertx) {
        probes.forEach(p -> this.probes.put(p.dependency(), p));
        for (Dependency d : Dependency.values()) states.put(d, new AtomicReference<>(State.UNCHECKED));
        this.config = config;
        this.vertx = vertx;
    }

    /** Early among the start-up observers (before the admin bootstrap and the claimers): readiness waits for these. */
    void start(@Observes @Priority(0) StartupEvent ev) {
        // The first checks open the clients' connections and build their request paths: on a worker,
        // they overlap the rest of the start instead of holding up the main thread (the S3 SDK's path
        // alone loads some 2,000 classes, when credentials other than static keys make it do the
        // bucket check). Readiness stays down until they answer.
        for (Dependency d : probes.keySet())
            check(d).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe()
                    .with(s -> {}, e -> {});
        long every = config.checkInterval().toMillis();
        timer = vertx.setPeriodic(every, every, id -> checkAll());
    }

    /** The checks stop with the application: one firing after shutdown would find no container. */
    void stop(@Observes ShutdownEvent ev) {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    private void checkAll() {
        for (Dependency d : probes.keySet()) check(d).subscribe().with(s -> {}, e -> {});
    }

    /** Whether every one of these answered at its last check. */
    public boolean up(Collection<Dependency> deps) {
        for (Dependency d : deps) if (!state(d).up()) return false;
        return true;
    }

    public boolean up(Dependency... deps) {
        return up(List.of(deps));
    }

    public State state(Dependency d) {
        return states.get(d).get();
    }

    /** "the S3 bucket (UnknownHostException: …)" for those of {@code deps} that are down; empty if none. */
    public String whyDown(Collection<Dependency> deps) {
        return deps.stream()
                .filter(d -> !state(d).up())
                .map(d -> d.label() + " (" + state(d).error() + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * The cached state, or a fresh check when the last one is older than the interval (the timer
     * keeps it fresh, so readiness answers from memory; this only covers a stalled timer).
     */
    public Uni<State> recent(Dependency d) {
        State s = state(d);
        if (s.checkedAt() != null
                && s.checkedAt()
                        .isAfter(Instant.now().minus(config.checkInterval().multipliedBy(2)))) {
            return Uni.createFrom().item(s);
        }
        return check(d);
    }

    /**
     * Readiness for {@code d}, named {@code name}, from the cached check: up or down, when it was
     * checked, and why not. One shape for every dependency's readiness check.
     */
    public Uni<HealthCheckResponseBuilder> readiness(Dependency d, String name) {
        return recent(d).map(s -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named(name).status(s.up());
            if (s.checkedAt() != null) b.withData("checkedAt", s.checkedAt().toString());
            if (!s.up()) b.withData("error", String.valueOf(s.error()));
            return b;
        });
    }

    /** Checks now and records the result. */
    public Uni<State> check(Dependency d) {
        DependencyProbe probe = probes.get(d);
        if (probe == null) return Uni.createFrom().item(state(d));
        return Uni.createFrom()
                .deferred(probe::probe)
                .ifNoItem()
                .after(config.checkTimeout())
                .fail()
                .map(x -> new State(true, null, Instant.now()))
                .onFailure()
                .recoverWithItem(e -> new State(false, describe(e), Instant.now()))
                .invoke(s -> record(d, s));
    }

    /**
     * Work found the dependency unreachable: count it as down at once, so nothing more is claimed
     * before the next check says it answers again.
     */
    public void reportFailure(Dependency d, Throwable e) {
        record(d, new State(false, describe(e), Instant.now()));
    }

    private void record(Dependency d, State s) {
        State before = states.get(d).getAndSet(s);
        // Once per change (and once at start-up when it is down from the first check), not every interval.
        if (!s.up() && (before.up() || before.checkedAt() == null)) {
            LOG.warnf(
                    "%s is unreachable from this instance (%s): it takes no work that needs it until it answers",
                    d.label(), s.error());
        } else if (!before.up() && s.up() && before.checkedAt() != null) {
            LOG.infof("%s answers again", d.label());
        }
    }

    /** The innermost message worth reading: SDK and pool errors wrap the one that says what happened. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String top = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (root == e) return top;
        return top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
