package dev.sluice.support;

import io.quarkus.arc.Arc;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;

/** One number from the test database (a count, a sum) to assert on, read over the application's own pool. */
public final class Db {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Db() {}

    /** The first column of the query's first row; {@code args} are bound to $1, $2, … */
    public static long scalar(String sql, Object... args) {
        Pool pool = Arc.container().instance(Pool.class).get();
        return pool.preparedQuery(sql)
                .execute(Tuple.from(args))
                .map(rows -> rows.iterator().next().getLong(0))
                .await()
                .atMost(WAIT);
    }
}
