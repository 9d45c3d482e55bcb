package dev.sluice.common;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** PostgreSQL answers a query on the pool the work uses. */
@ApplicationScoped
public class PostgresProbe implements DependencyProbe {
    private final Pool pool;

    public PostgresProbe(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Dependency dependency() {
        return Dependency.POSTGRESQL;
    }

    @Override
    public Uni<Void> probe() {
        return pool.query("select 1").execute().replaceWithVoid();
    }
}
