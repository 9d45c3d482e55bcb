package dev.sluice.warmup;

import dev.sluice.auth.TokenIssuer;
import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyStatus;
import dev.sluice.security.Roles;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Before readiness, sends this instance's hot reads to its own port until the JIT has compiled them.
 * A replica an autoscaler adds gets its share of the load the moment it is ready; without this, its
 * first ten seconds ran at a fifth of its sustained rate on two cores while C2 compiled the request
 * path (5.7 s of compiler CPU in them) under the load it was meant to serve. The JDK's AOT cache
 * carries method profiles but no compiled code, so it shortens this, it does not replace it.
 *
 * <p>The requests are those a replica gets from its first second, mostly products by id (see
 * {@code Run.request}); they go through the whole stack (HTTP, authentication, the database), so
 * what gets compiled is what serves. They come from threads of its own over blocking loopback
 * sockets ({@link SelfClient}), never the event loops. The warm-up ends once the JIT has gone quiet
 * (two seconds in a row with under {@value #QUIET_JIT_MS} ms of compilation, after
 * {@code min-duration}), or at {@code max-duration}; an error ends it sooner. Either way readiness
 * then answers for the dependencies alone. Nothing it sends writes: its token has the VIEWER role.
 */
@ApplicationScoped
public class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    private static final int IDS = 256;
    private static final long WINDOW_MS = 1000;
    /** JIT time a second below which the hot paths count as compiled (0.6–1.8 s a second until then, on 2 cores). */
    private static final long QUIET_JIT_MS = 150;

    /** What readiness reports: {@code done} once the warm-up ended or when it is off. */
    public record Outcome(boolean done, String state, long requests, long answered) {}

    private final WarmUpConfig config;
    private final WarmUpReads reads;
    private final TokenIssuer tokens;
    private final DependencyStatus dependencies;
    private final HttpServer server;
    private final String host;
    private final Vertx vertx;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private volatile Outcome outcome;
    private volatile boolean stopping;

    public WarmUp(
            WarmUpConfig config,
            WarmUpReads reads,
            TokenIssuer tokens,
            DependencyStatus dependencies,
            HttpServer server,
            @ConfigProperty(name = "quarkus.http.host") String bindHost,
            Vertx vertx) {
        this.config = config;
        this.reads = reads;
        this.tokens = tokens;
        this.dependencies = dependencies;
        this.server = server;
        // Bound to every interface (the default): loopback is one of them. Bound to one address: that one.
        this.host = bindHost.isBlank() || bindHost.equals("0.0.0.0") || bindHost.equals("::") ? "127.0.0.1" : bindHost;
        this.vertx = vertx;
        this.outcome = off() ? new Outcome(true, "off", 0, 0) : new Outcome(false, "waiting for the database", 0, 0);
    }

    public Outcome outcome() {
        Outcome o = outcome;
        return o.done() ? o : new Outcome(false, o.state(), requests.get(), answered.get());
    }

    private boolean off() {
        return config.maxDuration().isZero() || config.maxDuration().isNegative();
    }

    /** The port is known and taking connections: the only moment requests to it can be sent. */
    void onHttpStart(@ObservesAsync HttpServerStart start) {
        if (off()) return;
        long deadline = System.nanoTime() + config.maxDuration().toNanos();
        // The backstop: whatever happens to the run, readiness is not held past max-duration and a little.
        vertx.setTimer(config.maxDuration().plusSeconds(5).toMillis(), id -> {
            if (!outcome.done()) finish("given up: still not done at max-duration");
        });
        whenDatabaseUp(deadline);
    }

    void onShutdown(@Observes ShutdownEvent ev) {
        stopping = true;
    }

    private void whenDatabaseUp(long deadline) {
        if (stopping) return;
        if (System.nanoTime() > deadline) {
            finish("skipped: the database did not answer within " + config.maxDuration());
            return;
        }
        // Reads against a database that is down would only compile the failure path.
        if (!dependencies.up(Dependency.POSTGRESQL)) {
            vertx.setTimer(100, id -> whenDatabaseUp(deadline));
            return;
        }
        reads.someProductIds(IDS)
                .ifNoItem()
                .after(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                .fail()
                .subscribe()
                .with(ids -> startRun(ids, deadline), e -> finish("skipped: " + e));
    }

    /** Never leaves readiness down: a warm-up that cannot start is skipped. */
    private void startRun(List<UUID> ids, long deadline) {
        try {
            new Run(ids, deadline).start();
        } catch (RuntimeException e) {
            finish("skipped: " + e);
        }
    }

    private static long jit() {
        CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        return bean == null || !bean.isCompilationTimeMonitoringSupported() ? -1 : bean.getTotalCompilationTime();
    }

    /** The first end counts (the run's own, or the backstop's). */
    private synchronized void finish(String state) {
        if (outcome.done()) return;
        outcome = new Outcome(true, state, requests.get(), answered.get());
        LOG.infof("warm-up %s", state);
    }

    /** One warm-up: {@code connections} threads, each sending its next request when the last one answered. */
    private final class Run {
        private final long deadline;
        private final long started = System.nanoTime();
        private final SelfRequest[] found;
        private final SelfRequest[] anonymous;
        private final SelfRequest list;
        private final SelfRequest missing;
        private final SelfRequest forbidden;
        private final SelfRequest live;
        private final long[] windows;
        private final long[] jitWindows;
        private int windowCount;
        private volatile long lastSecond;
        private long windowStart;
        private final AtomicBoolean over = new AtomicBoolean();
        private long timer = -1;
        private long lastJit = jit();

        Run(List<UUID> ids, long deadline) {
            this.deadline = deadline;
            // Long enough for the longest warm-up; it never leaves this process.
            Duration ttl = config.maxDuration().plusMinutes(1);
            String authorization = "Bearer " + tokens.selfToken(Set.of(Roles.VIEWER), ttl);
            // Every request's bytes once, here: the lanes only send them.
            List<String> paths = ids.isEmpty()
                    ? List.of("/api/products/" + UUID.randomUUID())
                    : ids.stream().map(id -> "/api/products/" + id).toList();
            this.found = paths.stream()
                    .map(path -> SelfRequest.read(SelfClient.get(path, authorization)))
                    .toArray(SelfRequest[]::new);
            this.anonymous = paths.stream()
                    .map(path -> SelfRequest.refused(SelfClient.get(path, null)))
                    .toArray(SelfRequest[]::new);
            this.list = SelfRequest.read(SelfClient.get("/api/products?size=20", authorization));
            this.missing = SelfRequest.read(SelfClient.get("/api/products/" + UUID.randomUUID(), authorization));
            this.forbidden = SelfRequest.refused(SelfClient.post("/api/products", authorization, "{}"));
            this.live = SelfRequest.read(SelfClient.get("/q/health/live", null));
            this.windows = new long[(int) (config.maxDuration().toMillis() / WINDOW_MS) + 2];
            this.jitWindows = new long[windows.length];
        }

        void start() {
            outcome = new Outcome(false, "running", 0, 0);
            windowStart = requests.get();
            timer = vertx.setPeriodic(WINDOW_MS, id -> tick());
            int n = Math.max(1, config.connections());
            int port = server.getPort();
            // Blocking sockets, so threads of their own: never the event loops or the worker pool.
            for (int lane = 0; lane < n; lane++) {
                int first = lane;
                Thread.ofPlatform().daemon().name("sluice-warm-up-" + lane).start(() -> loop(port, first, n));
            }
        }

        /**
         * Mostly found products, as clients read them. Now and then the other shapes a replica is sent
         * from its first second: a page of the list, an id that is not there, a request without a
         * token, a POST its role may not make (refused before anything is read or written), and a
         * liveness probe. Without them the JIT compiles the request path for GETs of one resource
         * only, and the first POST or 401 after readiness throws that code away again (measured:
         * some 90 compiled methods of the HTTP decoder and the router discarded by one sign-in).
         */
        private SelfRequest request(long n) {
            return switch ((int) (n % 64)) {
                case 15, 31, 47 -> list;
                case 63 -> missing;
                case 62 -> forbidden;
                case 61 -> anonymous[(int) (n % anonymous.length)];
                case 60 -> live;
                default -> found[(int) (n % found.length)];
            };
        }

        private void loop(int port, long n, int step) {
            try (SelfClient client = new SelfClient(host, port, 10_000)) {
                for (; !over.get(); n += step) {
                    SelfRequest request = request(n);
                    int status = client.exchange(request.bytes());
                    // Refusals are part of the mix; an error is not, nor a read refused, and warming those
                    // paths would help nobody.
                    if (status >= 500 || (!request.refusal() && (status == 401 || status == 403))) {
                        end("ended early: HTTP " + status + " from " + SelfClient.requestLine(request.bytes()));
                        return;
                    }
                    requests.incrementAndGet();
                    if (status < 300) answered.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) {
                end("ended early: " + e);
            }
        }

        private void tick() {
            long total = requests.get();
            windows[Math.min(windowCount, windows.length - 1)] = total - windowStart;
            long jit = jit();
            jitWindows[Math.min(windowCount, jitWindows.length - 1)] = jit < 0 ? -1 : jit - lastJit;
            lastJit = jit;
            LOG.debugf(
                    "warm-up second %d: %d requests, %d ms of JIT compilation",
                    windowCount + 1, total - windowStart, jitWindows[Math.min(windowCount, jitWindows.length - 1)]);
            lastSecond = total - windowStart;
            windowCount++;
            windowStart = total;
            long elapsed = System.nanoTime() - started;
            if (stopping) end("stopped by the shutdown");
            else if (System.nanoTime() >= deadline) end("ended at max-duration");
            else if (elapsed >= config.minDuration().toNanos() && settled()) end("done: the JIT has settled");
        }

        /**
         * Two quiet seconds in a row: the JIT compiled less than {@link #QUIET_JIT_MS} in each. Where
         * the JVM does not report compilation time (a native binary, which needs no warm-up), the
         * request rate of the last two seconds within 5 % of the two before instead.
         */
        private boolean settled() {
            if (windowCount < 4) return false;
            int last = Math.min(windowCount, windows.length) - 1;
            if (jitWindows[last] >= 0) return jitWindows[last] < QUIET_JIT_MS && jitWindows[last - 1] < QUIET_JIT_MS;
            long recent = windows[last] + windows[last - 1];
            long before = windows[last - 2] + windows[last - 3];
            return before > 0 && recent <= before * 1.05;
        }

        private void end(String why) {
            if (!over.compareAndSet(false, true)) return;
            if (timer >= 0) vertx.cancelTimer(timer);
            long ms = (System.nanoTime() - started) / 1_000_000;
            long last = lastSecond;
            finish(String.format(
                    "%s (%d requests in %d ms, %d in the last second)",
                    why, requests.get(), ms, last * 1000 / WINDOW_MS));
        }
    }
}
