package dev.sluice.progress;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Fans one Redis subscription per job out to every local SSE client of that job: ten thousand
 * browsers watching one import cost one Redis connection, not ten thousand. The subscription gets a
 * connection of its own (a connection in subscribe mode can't serve commands, so it must never come
 * from the command pool); it opens with the first client and closes with the last. A slow client
 * skips to the newest snapshot instead of buffering old ones (each event is a whole snapshot).
 */
@ApplicationScoped
public class ProgressHub {
    private static final Logger LOG = Logger.getLogger(ProgressHub.class);
    private final Redis redis;
    private final ProgressPublisher publisher;
    private final Map<UUID, Channel> channels = new ConcurrentHashMap<>();

    public ProgressHub(Redis redis, ProgressPublisher publisher) {
        this.redis = redis;
        this.publisher = publisher;
    }

    private static final class Channel {
        final BroadcastProcessor<ProgressSnapshot> processor = BroadcastProcessor.create();
        int clients;
        boolean closed;
        RedisConnection connection;
    }

    public Multi<ProgressSnapshot> stream(UUID jobId) {
        return Multi.createFrom().deferred(() -> {
            boolean[] created = {false};
            Channel ch = channels.compute(jobId, (id, existing) -> {
                Channel c = existing == null ? new Channel() : existing;
                created[0] = existing == null;
                c.clients++;
                return c;
            });
            if (created[0]) open(jobId, ch);
            return ch.processor.onOverflow().dropPreviousItems().onTermination().invoke(() -> leave(jobId, ch));
        });
    }

    private void open(UUID jobId, Channel ch) {
        String channel = publisher.channel(jobId);
        redis.connect().subscribe().with(conn -> {
            synchronized (ch) {
                if (ch.closed) {
                    conn.close().subscribe().with(x -> { }, e -> { });
                    return;
                }
                ch.connection = conn;
            }
            conn.handler(msg -> onMessage(ch, msg));
            conn.exceptionHandler(e -> LOG.debugf("Progress subscription for %s: %s", jobId, e.getMessage()));
            conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                    .subscribe().with(x -> { }, e -> LOG.debugf("SUBSCRIBE %s failed: %s", channel, e.getMessage()));
        }, e -> LOG.debugf("No Redis connection for progress of %s: %s", jobId, e.getMessage()));
    }

    /** Pub/sub pushes arrive as ["message", channel, payload]; subscribe confirmations are ignored. */
    private void onMessage(Channel ch, Response msg) {
        try {
            if (msg.size() == 3 && "message".equals(msg.get(0).toString())) {
                ch.processor.onNext(publisher.fromJson(msg.get(2).toString()));
            }
        } catch (RuntimeException e) {
            LOG.debugf("Ignoring a progress message: %s", e.getMessage());
        }
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
                c.closed = true;
                if (c.connection != null) c.connection.close().subscribe().with(x -> { }, e -> { });
            }
            return null;
        });
    }
}
