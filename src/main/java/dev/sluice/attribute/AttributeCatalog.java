package dev.sluice.attribute;

import dev.sluice.common.PgNotices;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicLong;
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
    private final PgNotices notices;
    private final AtomicLong generation = new AtomicLong();
    private volatile Attributes cached;
    private volatile boolean listening;

    public AttributeCatalog(AttributeReads reads, PgNotices notices) {
        this.reads = reads;
        this.notices = notices;
    }

    void start(@Observes StartupEvent ev) {
        notices.listen(
                AttributeRepository.CHANNEL,
                payload -> invalidate(),
                () -> {
                    listening = true;
                    invalidate();
                },
                () -> {
                    listening = false;
                    invalidate();
                },
                e -> LOG.warnf("Attribute change notices unavailable (%s): not caching", e.getMessage()));
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
