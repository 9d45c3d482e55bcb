package dev.sluice.progress;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Fans one Redis subscription per job out to every local SSE client of that job: ten thousand
 * browsers watching one import cost one Redis connection, not ten thousand. The subscription
 * opens with the first client and closes with the last. A slow client skips to the newest
 * snapshot instead of buffering old ones (each event is a whole snapshot).
 */
@ApplicationScoped
public class ProgressHub {
    private static final Logger LOG = Logger.getLogger(ProgressHub.class);
    private final ReactiveRedisDataSource redis;
    private final ProgressPublisher publisher;
    private final Map<UUID, Channel> channels = new ConcurrentHashMap<>();

    public ProgressHub(ReactiveRedisDataSource redis, ProgressPublisher publisher) {
        this.redis = redis;
        this.publisher = publisher;
    }

    private static final class Channel {
        final BroadcastProcessor<ProgressSnapshot> processor = BroadcastProcessor.create();
        int clients;
        Cancellable subscription;
    }

    public Multi<ProgressSnapshot> stream(UUID jobId) {
        return Multi.createFrom().deferred(() -> {
            Channel ch = channels.compute(jobId, (id, existing) -> {
                Channel c = existing == null ? new Channel() : existing;
                c.clients++;
                return c;
            });
            synchronized (ch) {
                if (ch.subscription == null) {
                    ch.subscription = redis.pubsub(String.class).subscribe(publisher.channel(jobId))
                            .subscribe().with(msg -> ch.processor.onNext(publisher.fromJson(msg)),
                                    e -> LOG.debugf("Progress subscription for %s ended: %s", jobId, e.getMessage()));
                }
            }
            return ch.processor.onOverflow().dropPreviousItems().onTermination().invoke(() -> leave(jobId, ch));
        });
    }

    /** Local SSE clients, for metrics and tests. */
    public int clients() {
        return channels.values().stream().mapToInt(c -> c.clients).sum();
    }

    private void leave(UUID jobId, Channel ch) {
        channels.computeIfPresent(jobId, (id, c) -> {
            if (c != ch) return c;
            c.clients--;
            if (c.clients > 0) return c;
            synchronized (c) {
                if (c.subscription != null) c.subscription.cancel();
            }
            return null;
        });
    }
}
