package dev.sluice.attribute;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The attribute definitions, cached per instance: every product write and list reads them. A
 * schema change on any replica NOTIFYs {@code sluice_attributes} at commit, and every instance
 * drops its copy; the next read loads it again. While the LISTEN connection is down (and until it is
 * up) nothing is cached, so a replica never serves definitions it can't hear change.
 */
@ApplicationScoped
public class AttributeCatalog {
    private static final Logger LOG = Logger.getLogger(AttributeCatalog.class);
    private final AttributeReads reads;
    private final Vertx vertx;
    private final AtomicLong generation = new AtomicLong();
    private volatile Attributes cached;
    private volatile boolean listening;
    private PgSubscriber subscriber;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String dbUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    public AttributeCatalog(AttributeReads reads, Vertx vertx) {
        this.reads = reads;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent ev) {
        PgConnectOptions options = PgConnectOptions.fromUri(dbUrl.replaceFirst("^vertx-reactive:", ""))
                .setUser(dbUser)
                .setPassword(dbPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.closeHandler(() -> {
            listening = false;
            invalidate();
        });
        var channel = subscriber.channel(AttributeRepository.CHANNEL);
        channel.subscribeHandler(() -> {
            listening = true;
            invalidate();
        });
        channel.handler(payload -> invalidate());
        subscriber
                .connect()
                .subscribe()
                .with(
                        x -> {},
                        e -> LOG.warnf("Attribute change notices unavailable (%s): not caching", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (subscriber != null) subscriber.close().subscribe().with(x -> {}, e -> {});
    }

    /** The definitions: cached, or loaded now. */
    public Uni<Attributes> current() {
        Attributes a = cached;
        if (a != null) return Uni.createFrom().item(a);
        long gen = generation.get();
        return reads.all().invoke(loaded -> {
            // A change heard while loading makes this copy stale: use it once, don't keep it.
            if (listening && generation.get() == gen) cached = loaded;
        });
    }

    /** The definitions as stored now, bypassing the cache (an import's run reads them once, fresh). */
    public Uni<Attributes> fresh() {
        return reads.all();
    }

    /** Drops the cached copy (after this instance's own change, and on every notice). */
    public void invalidate() {
        generation.incrementAndGet();
        cached = null;
    }
}
