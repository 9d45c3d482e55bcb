package dev.sluice.schema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.flyway.runtime.FlywayContainerProducer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * Brings the schema up to {@link SchemaVersion#LATEST} before anything else at start-up touches it.
 *
 * <p>Flyway's own start actions (quarkus.flyway.active, off) build Flyway on the JDBC datasource at
 * every start, even with migrate-at-start off: a JDBC pool, Flyway, the JDBC driver and a transaction
 * manager (some 600 classes), and with migrate-at-start a validation of every migration: about 0.7 s
 * of a replica's start (bench/startup), nearly always to learn that nothing is to be done. Here one
 * query on the reactive pool answers that, and Flyway is built and run only when the schema is behind
 * this build (a fresh database, or the first replica of a new release), with its usual validation and
 * locking. It is built by the Flyway extension's own producer, so it finds the migrations the build
 * indexed, in the native image too.
 *
 * <p>The observer runs before the other start-up observers and blocks the start until done: the admin
 * bootstrap, the claimers and the scheduler (whose own observer has priority 0, and whose jobs query
 * the webhook and import tables at once) all need the tables. Only JSON logging goes before it.
 */
@ApplicationScoped
public class SchemaUpgrade {
    private static final Logger LOG = Logger.getLogger(SchemaUpgrade.class);

    void onStart(
            @Observes @Priority(-10) StartupEvent ev,
            SchemaReads reads,
            Instance<FlywayContainerProducer> flyways,
            Instance<AgroalDataSource> jdbc)
            throws Throwable {
        OptionalInt applied = VertxContextSupport.subscribeAndAwait(reads::appliedVersion);
        int current = applied.orElse(0);
        if (current == SchemaVersion.LATEST) {
            LOG.debugf("Schema at version %d: no migration needed", current);
            return;
        }
        if (current > SchemaVersion.LATEST) {
            // An older release started against a schema a newer one migrated (a rollback): migrations
            // only add, so it runs; Flyway would accept it too (future migrations are ignored).
            LOG.warnf("Schema at version %d, newer than this build's %d", current, SchemaVersion.LATEST);
            return;
        }
        LOG.infof(
                "Schema at version %s, this build needs %d: migrating",
                applied.isPresent() ? current : "none", SchemaVersion.LATEST);
        flyways.get()
                .createFlyway(jdbc.get(), DataSourceUtil.DEFAULT_DATASOURCE_NAME, true, false)
                .getFlyway()
                .migrate();
    }
}
