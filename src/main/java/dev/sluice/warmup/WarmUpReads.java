package dev.sluice.warmup;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The products the warm-up reads. */
@ApplicationScoped
public class WarmUpReads {
    private final Pool pool;

    public WarmUpReads(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code n} product ids; any will do, they only need to exist so that reads take the found path. */
    public Uni<List<UUID>> someProductIds(int n) {
        return pool.preparedQuery("select id from products limit $1")
                .execute(Tuple.of(n))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>(rows.size());
                    for (Row r : rows) ids.add(r.getUUID(0));
                    return ids;
                });
    }
}
