package dev.sluice.auth;

import dev.sluice.common.PgNotices;
import dev.sluice.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Sessions whose access tokens must be refused before they expire. The per-request check is a map
 * lookup (no I/O). A revoke anywhere is enforced everywhere within 1 s, by two roads, so that losing
 * one (a Redis outage) keeps the promise:
 *
 * <ul>
 *   <li>Redis: a sorted set (member = session id, score = when the last token it could have issued
 *       expires), pulled every {@code app.auth.revocation-sync-interval};
 *   <li>PostgreSQL: a NOTIFY on {@code sluice_revocations} to every replica's listening connection (the
 *       way webhook wake-ups travel), and, while Redis can't be read, the same interval's pull reads
 *       the recently revoked sessions from {@code auth_sessions} (which every revocation has written
 *       first), so a NOTIFY missed while the listening connection was down is caught up too.
 * </ul>
 */
@ApplicationScoped
public class RevokedSessions {
    private static final Logger LOG = Logger.getLogger(RevokedSessions.class);
    private final Map<String, Long> revoked = new ConcurrentHashMap<>();
    private final ReactiveSortedSetCommands<String, String> zset;
    private final RevocationSql sql;
    private final String key;
    private final long keepMillis;
    private final AtomicBoolean syncing = new AtomicBoolean();
    private final long syncMillis;
    private volatile boolean warned;
    private final PgNotices notices;

    public RevokedSessions(
            ReactiveRedisDataSource redis, RedisKeys keys, AuthConfig config, RevocationSql sql, PgNotices notices) {
        this.notices = notices;
        this.zset = redis.sortedSet(String.class);
        this.sql = sql;
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
        listen();
    }

    private void listen() {
        notices.listen(
                RevocationSql.CHANNEL,
                this::announced,
                null,
                null,
                e -> LOG.warnf(
                        "Revocation notices from PostgreSQL unavailable (%s); Redis still carries them",
                        e.getMessage()));
    }

    private void announced(String payload) {
        long until = System.currentTimeMillis() + keepMillis;
        for (String id : RevocationSql.parse(payload)) revoked.merge(id, until, Math::max);
    }

    public boolean isRevoked(String sessionId) {
        return revoked.containsKey(sessionId);
    }

    /**
     * Refused here at once; elsewhere within the sync interval. Told through Redis and through
     * PostgreSQL side by side; a failure of either is logged, not thrown: the DB row is the record.
     */
    public Uni<Void> revoke(Collection<UUID> sessionIds) {
        if (sessionIds.isEmpty()) return Uni.createFrom().voidItem();
        long until = System.currentTimeMillis() + keepMillis;
        Map<String, Double> entries = new HashMap<>();
        for (UUID id : sessionIds) {
            revoked.put(id.toString(), until);
            entries.put(id.toString(), (double) until);
        }
        Uni<Void> viaRedis = zset.zadd(key, entries)
                .onFailure()
                .invoke(e -> LOG.warnf("Could not share session revocation through Redis: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
        Uni<Void> viaPostgres = sql.announce(new ArrayList<>(sessionIds))
                .onFailure()
                .invoke(e -> LOG.warnf("Could not announce session revocation through PostgreSQL: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull();
        return Uni.join().all(viaRedis, viaPostgres).andCollectFailures().replaceWithVoid();
    }

    Uni<Void> sync() {
        long now = System.currentTimeMillis();
        revoked.values().removeIf(until -> until < now);
        return zset.zrangebyscoreWithScores(key, new ScoreRange<>((double) now, Double.POSITIVE_INFINITY))
                .invoke(list -> {
                    list.forEach(sv -> revoked.put(sv.value(), (long) sv.score()));
                    if (warned) LOG.info("Revocation sync from Redis works again");
                    warned = false;
                })
                .call(() -> zset.zremrangebyscore(key, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) now)))
                .replaceWithVoid()
                // A Redis that doesn't answer (packets dropped, not refused) counts as down too: within the interval.
                .ifNoItem()
                .after(Duration.ofMillis(syncMillis))
                .fail()
                .onFailure()
                .recoverWithUni(e -> {
                    if (!warned)
                        LOG.warnf(
                                "Revocation sync from Redis failed (%s); reading revocations from PostgreSQL until it answers",
                                e.toString());
                    warned = true;
                    return fromDatabase(now);
                });
    }

    /** Every session revoked within a token lifetime, from the table: what Redis would have said. */
    private Uni<Void> fromDatabase(long now) {
        return sql.revokedSince(Instant.ofEpochMilli(now - keepMillis))
                .invoke(rows -> rows.forEach(
                        (id, at) -> revoked.merge(id.toString(), at.toEpochMilli() + keepMillis, Math::max)))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }
}
