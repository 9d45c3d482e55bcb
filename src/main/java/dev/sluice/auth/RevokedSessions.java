package dev.sluice.auth;

import dev.sluice.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Sessions whose access tokens must be refused before they expire. The per-request check is a
 * map lookup (no I/O); replicas share revocations through a Redis sorted set (member = session id,
 * score = when the last token it could have issued expires), pulled every
 * {@code app.auth.revocation-sync-interval}, so a revoke anywhere is enforced everywhere within 1 s.
 */
@ApplicationScoped
public class RevokedSessions {
    private static final Logger LOG = Logger.getLogger(RevokedSessions.class);
    private final Map<String, Long> revoked = new ConcurrentHashMap<>();
    private final ReactiveSortedSetCommands<String, String> zset;
    private final String key;
    private final long keepMillis;
    private final AtomicBoolean syncing = new AtomicBoolean();
    private final long syncMillis;
    private volatile boolean warned;

    public RevokedSessions(ReactiveRedisDataSource redis, RedisKeys keys, AuthConfig config) {
        this.zset = redis.sortedSet(String.class);
        this.key = keys.key("auth", "revoked-sessions");
        // A token issued just before the revoke lives one access-token lifetime; keep a margin for clock skew.
        this.keepMillis = config.accessTokenTtl().toMillis() + 60_000;
        this.syncMillis = config.revocationSyncInterval().toMillis();
    }

    /** A Vert.x timer rather than @Scheduled: the scheduler's floor is one second, too slow for "within 1 s". */
    void start(@Observes StartupEvent ev, Vertx vertx) {
        vertx.setPeriodic(syncMillis, syncMillis, id -> {
            if (syncing.compareAndSet(false, true)) {
                sync().onTermination()
                        .invoke(() -> syncing.set(false))
                        .subscribe()
                        .with(x -> {}, e -> {});
            }
        });
    }

    public boolean isRevoked(String sessionId) {
        return revoked.containsKey(sessionId);
    }

    /** Refused here at once; elsewhere after the next sync. A Redis failure is logged, not thrown: the DB row is the record. */
    public Uni<Void> revoke(Collection<UUID> sessionIds) {
        if (sessionIds.isEmpty()) return Uni.createFrom().voidItem();
        long until = System.currentTimeMillis() + keepMillis;
        Map<String, Double> entries = new HashMap<>();
        for (UUID id : sessionIds) {
            revoked.put(id.toString(), until);
            entries.put(id.toString(), (double) until);
        }
        return zset.zadd(key, entries)
                .onFailure()
                .invoke(e -> LOG.warnf("Could not share session revocation through Redis: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    Uni<Void> sync() {
        long now = System.currentTimeMillis();
        revoked.values().removeIf(until -> until < now);
        return zset.zrangebyscoreWithScores(key, new ScoreRange<>((double) now, Double.POSITIVE_INFINITY))
                .invoke(list -> {
                    list.forEach(sv -> revoked.put(sv.value(), (long) sv.score()));
                    warned = false;
                })
                .call(() -> zset.zremrangebyscore(key, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) now)))
                .onFailure()
                .invoke(e -> {
                    if (!warned) LOG.warnf("Revocation sync from Redis failed (will retry): %s", e.getMessage());
                    warned = true;
                })
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
