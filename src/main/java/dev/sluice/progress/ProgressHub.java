package dev.sluice.progress;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One Redis subscription per job on this instance, shared by its local subscribers (the job's SSE
 * feed, which fans it out to every watcher): ten thousand browsers watching one import cost one Redis
 * connection, not ten thousand. The subscription gets a connection of its own (a connection in
 * subscribe mode can't serve commands, so it must never come from the command pool); it opens with
 * the first subscriber and closes with the last. A subscriber that can't keep up skips to the newest
 * snapshot instead of buffering old ones (each event is a whole snapshot; the SSE feed takes every
 * one at once). If Redis goes away the subscription is re-established when it is back; meanwhile the
 * SSE streams carry on from the database (see {@link #silentFor}).
 */
@ApplicationScoped
public class ProgressHub {
    private static final Logger LOG = Logger.getLogger(ProgressHub.class);
    private final Redis redis;
    private final ProgressPublisher publisher;
    private final Map<UUID, Channel> channels = new ConcurrentHashMap<>();
    private final Vertx vertx;

    public ProgressHub(Redis redis, ProgressPublisher publisher, Vertx vertx) {
        this.redis = redis;
        this.publisher = publisher;
        this.vertx = vertx;
    }

    private static final class Channel {
        final BroadcastProcessor<ProgressSnapshot> processor = BroadcastProcessor.create();
        int clients;
        boolean closed;
        RedisConnection connection;
        /** When the last snapshot arrived (System.nanoTime); meaningless until {@code heard}. */
        volatile long lastMessage;

        volatile boolean heard;
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
        open(jobId, ch, 0);
    }

    /** Subscribes on a connection of its own; a lost or refused connection is retried while clients remain. */
    private void open(UUID jobId, Channel ch, int attempt) {
        String channel = publisher.channel(jobId);
        redis.connect()
                .subscribe()
                .with(
                        conn -> {
                            synchronized (ch) {
                                if (ch.closed) {
                                    conn.close().subscribe().with(x -> {}, e -> {});
                                    return;
                                }
                                ch.connection = conn;
                            }
                            conn.handler(msg -> onMessage(ch, msg));
                            conn.exceptionHandler(e -> {
                                LOG.debugf("Progress subscription for %s: %s", jobId, e.getMessage());
                                lost(jobId, ch, conn);
                            });
                            conn.endHandler(() -> lost(jobId, ch, conn));
                            conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                                    .subscribe()
                                    .with(
                                            x -> {
                                                if (attempt > 0)
                                                    LOG.infof("Progress subscription for %s restored", jobId);
                                            },
                                            e -> lost(jobId, ch, conn));
                        },
                        e -> {
                            LOG.debugf("No Redis connection for progress of %s: %s", jobId, e.getMessage());
                            retryLater(jobId, ch, attempt + 1);
                        });
    }

    /** The connection died (Redis restarted, network): drop it and subscribe again. Clients keep their streams. */
    private void lost(UUID jobId, Channel ch, RedisConnection conn) {
        synchronized (ch) {
            if (ch.closed || ch.connection != conn) return; // already handled, or the last client left
            ch.connection = null;
        }
        conn.close().subscribe().with(x -> {}, e -> {});
        retryLater(jobId, ch, 1);
    }

    private void retryLater(UUID jobId, Channel ch, int attempt) {
        if (ch.closed) return;
        long delay = Math.min(5_000, 250L << Math.min(attempt, 5));
        vertx.setTimer(delay, t -> {
            if (!ch.closed) open(jobId, ch, attempt);
        });
    }

    /** Pub/sub pushes arrive as ["message", channel, payload]; subscribe confirmations are ignored. */
    private void onMessage(Channel ch, Response msg) {
        try {
            if (msg.size() == 3 && "message".equals(msg.get(0).toString())) {
                ProgressSnapshot s = publisher.fromJson(msg.get(2).toString());
                ch.lastMessage = System.nanoTime();
                ch.heard = true;
                ch.processor.onNext(s);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Ignoring a progress message: %s", e.getMessage());
        }
    }

    /**
     * Whether pub/sub has said nothing about this job here for {@code window}: Redis is down, or
     * nobody publishes for the job any more (its runner is gone), or nobody here follows it. Then,
     * and only then, the streams fall back on the database.
     */
    public boolean silentFor(UUID jobId, Duration window) {
        Channel ch = channels.get(jobId);
        return ch == null || !ch.heard || System.nanoTime() - ch.lastMessage > window.toNanos();
    }

    /** Local subscribers (one SSE feed per job followed here), for tests. */
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
                if (c.connection != null) c.connection.close().subscribe().with(x -> {}, e -> {});
            }
            return null;
        });
    }
}
