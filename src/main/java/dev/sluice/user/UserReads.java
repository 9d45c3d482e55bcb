package dev.sluice.user;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads about accounts that need no entity: asked at every start, before Hibernate has served a query. */
@ApplicationScoped
public class UserReads {
    private final Pool pool;

    public UserReads(Pool pool) {
        this.pool = pool;
    }

    /** Whether any account exists. Plain SQL: the HQL parser (ANTLR, ~400 classes) stays out of the start. */
    public Uni<Boolean> anyUser() {
        return pool.query("select exists (select 1 from users)")
                .execute()
                .map(rows -> rows.iterator().next().getBoolean(0));
    }
}
