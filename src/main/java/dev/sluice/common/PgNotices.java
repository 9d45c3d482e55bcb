package dev.sluice.common;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The instance's one LISTEN connection, shared by every feature that hears PostgreSQL NOTIFYs
 * (attribute changes, session revocations, webhook wake-ups): a replica holds one connection for
 * them, not one each, which counts against PostgreSQL's connection limit as replicas are added. It
 * connects on the first {@link #listen}, and after a loss it reconnects every second and LISTENs on
 * every channel again; each feature hears when its channel listens and when the connection drops, so
 * it can stop trusting what it caches in between.
 */
@ApplicationScoped
public class PgNotices {
    private final Vertx vertx;
    private final List<Runnable> lost = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> unavailable = new CopyOnWriteArrayList<>();
    private volatile Throwable failure;
    private PgSubscriber subscriber;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String dbUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    public PgNotices(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Calls {@code handler} with each payload NOTIFYed on {@code channel}. {@code listening} runs each
     * time the LISTEN takes effect (the first connection and every reconnection), {@code lost} when the
     * connection drops, {@code failed} when the first connection can't be made (it is retried).
     */
    public synchronized void listen(
            String channel, Consumer<String> handler, Runnable listening, Runnable lost, Consumer<Throwable> failed) {
        boolean first = subscriber == null;
        if (first) {
            PgConnectOptions options = PgConnectOptions.fromUri(dbUrl.replaceFirst("^vertx-reactive:", ""))
                    .setUser(dbUser)
                    .setPassword(dbPassword);
            subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
            subscriber.closeHandler(() -> this.lost.forEach(Runnable::run));
        }
        if (lost != null) this.lost.add(lost);
        if (failed != null) {
            unavailable.add(failed);
            // A feature that arrives after the first connection failed is told too.
            if (failure != null) failed.accept(failure);
        }
        var ch = subscriber.channel(channel);
        if (listening != null) ch.subscribeHandler(listening);
        // On a connected subscriber this sends the LISTEN at once; otherwise the connection sends it.
        ch.handler(handler);
        if (first) {
            subscriber.connect().subscribe().with(x -> {}, e -> {
                failure = e;
                unavailable.forEach(f -> f.accept(e));
            });
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        PgSubscriber s;
        synchronized (this) {
            s = subscriber;
        }
        if (s != null) s.close().subscribe().with(x -> {}, e -> {});
    }
}
