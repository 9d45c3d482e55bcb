package dev.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The test database starts empty (scripts/test recreates it): the start itself migrated it. */
@QuarkusTest
class SchemaUpgradeTests {
    @Inject
    SchemaReads reads;

    @Inject
    Pool pool;

    @Test
    void a_start_on_an_empty_database_migrates_it_to_this_builds_version() {
        OptionalInt applied = reads.appliedVersion().await().indefinitely();
        assertThat(applied).hasValue(SchemaVersion.LATEST);
        long applications = Db.scalar("select count(*) from flyway_schema_history where success");
        assertThat(applications).as("every migration applied once").isEqualTo(SchemaVersion.LATEST);
    }

    @Test
    void a_database_flyway_never_touched_reads_as_no_version_not_as_an_error() {
        pool.query("create schema if not exists schema_probe").execute().await().indefinitely();
        try {
            // set local, then rollback: the connection goes back to the pool with its search_path as before.
            OptionalInt applied = pool.withConnection(c -> c.query("begin")
                            .execute()
                            .chain(() -> c.query("set local search_path to schema_probe")
                                    .execute())
                            .chain(() -> SchemaReads.appliedVersion(c))
                            .call(() -> c.query("rollback").execute()))
                    .await()
                    .indefinitely();
            assertThat(applied).isEmpty();
        } finally {
            pool.query("drop schema schema_probe cascade").execute().await().indefinitely();
        }
    }
}
