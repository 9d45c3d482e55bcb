package dev.sluice.schema;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalInt;

/** Reads Flyway's history table over the reactive pool, without loading Flyway or a JDBC driver. */
@ApplicationScoped
public class SchemaReads {
    private static final String UNDEFINED_TABLE = "42P01";

    private final Pool pool;

    public SchemaReads(Pool pool) {
        this.pool = pool;
    }

    /** The highest successfully applied versioned migration; empty on a database Flyway never touched. */
    public Uni<OptionalInt> appliedVersion() {
        return appliedVersion(pool);
    }

    static Uni<OptionalInt> appliedVersion(SqlClient client) {
        return client.query(
                        "select max(version::int) from flyway_schema_history where success and version ~ '^[0-9]+$'")
                .execute()
                .map(rows -> {
                    Integer v = rows.iterator().next().getInteger(0);
                    return v == null ? OptionalInt.empty() : OptionalInt.of(v);
                })
                .onFailure(e -> e instanceof PgException pg && UNDEFINED_TABLE.equals(pg.getSqlState()))
                .recoverWithItem(OptionalInt.empty());
    }
}
