package dev.sluice.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The stored signing secrets of every endpoint, read in id order a page at a time, and re-sealed one row at a time. */
@ApplicationScoped
public class WebhookSecretSql {
    private final Pool pool;

    public WebhookSecretSql(Pool pool) {
        this.pool = pool;
    }

    /** One endpoint's stored secret and previous secret, as they are in the table (sealed, or plaintext from before). */
    public record Stored(UUID id, String secret, String previousSecret) {}

    /** Up to {@code limit} endpoints with an id above {@code after} (null: from the start). */
    public Uni<List<Stored>> page(UUID after, int limit) {
        return pool.preparedQuery("""
                        select id, secret, previous_secret from webhook_endpoints
                        where $1::uuid is null or id > $1 order by id limit $2""").execute(Tuple.of(after, limit)).map(rs -> {
            List<Stored> out = new ArrayList<>();
            for (Row r : rs)
                out.add(new Stored(r.getUUID("id"), r.getString("secret"), r.getString("previous_secret")));
            return out;
        });
    }

    /**
     * Replaces a row's values only if they are still the ones read: a rotation or another replica's
     * re-seal in between wins, and this one is simply skipped (1 if written, else 0).
     */
    public Uni<Integer> reseal(Stored read, String secret, String previousSecret) {
        return pool.preparedQuery("""
                        update webhook_endpoints set secret = $2, previous_secret = $3
                        where id = $1 and secret = $4 and previous_secret is not distinct from $5""")
                .execute(Tuple.of(read.id(), secret, previousSecret, read.secret(), read.previousSecret()))
                .map(rs -> rs.rowCount());
    }
}
