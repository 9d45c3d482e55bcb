package dev.sluice.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Revocations through PostgreSQL, for when Redis can't carry them: a NOTIFY on {@link #CHANNEL} tells
 * every listening replica at once, and {@code auth_sessions.revoked_at} (the record every revocation
 * writes first) is read back by replicas that can't reach Redis.
 */
@ApplicationScoped
public class RevocationSql {
    static final String CHANNEL = "sluice_revocations";
    /** NOTIFY payloads must stay under 8000 bytes: 37 per id. */
    static final int IDS_PER_NOTIFY = 200;

    private final Pool pool;

    public RevocationSql(Pool pool) {
        this.pool = pool;
    }

    /** One NOTIFY per {@link #IDS_PER_NOTIFY} session ids, comma-separated; outside any transaction, so sent now. */
    public Uni<Void> announce(List<UUID> sessionIds) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (int from = 0; from < sessionIds.size(); from += IDS_PER_NOTIFY) {
            List<UUID> chunk = sessionIds.subList(from, Math.min(sessionIds.size(), from + IDS_PER_NOTIFY));
            String payload = String.join(",", chunk.stream().map(UUID::toString).toList());
            done = done.chain(() -> pool.preparedQuery("select pg_notify($1, $2)")
                    .execute(Tuple.of(CHANNEL, payload))
                    .replaceWithVoid());
        }
        return done;
    }

    /** Sessions revoked after {@code since}, with when. */
    public Uni<Map<UUID, Instant>> revokedSince(Instant since) {
        return pool.preparedQuery("select id, revoked_at from auth_sessions where revoked_at > $1")
                .execute(Tuple.of(since.atOffset(ZoneOffset.UTC)))
                .map(rs -> {
                    Map<UUID, Instant> out = new java.util.HashMap<>();
                    for (Row r : rs)
                        out.put(
                                r.getUUID("id"),
                                r.getOffsetDateTime("revoked_at").toInstant());
                    return out;
                });
    }

    static List<String> parse(String payload) {
        List<String> ids = new ArrayList<>();
        for (String part : payload.split(",")) {
            try {
                ids.add(UUID.fromString(part.strip()).toString());
            } catch (IllegalArgumentException e) {
                // Not ours, or garbled: ignore it rather than trust it.
            }
        }
        return ids;
    }
}
