package dev.sluice.schema;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.OptionalInt;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Brings the schema up to {@link SchemaVersion#LATEST} before anything else at start-up touches it.
 *
 * <p>Flyway's own start action (migrate-at-start) opens a JDBC pool, loads Flyway, the JDBC driver and
 * a transaction manager (some 600 classes) and validates every migration on each start: about 0.7 s
 * of a replica's start (bench/startup), nearly always to learn that nothing is to be done. Here one
 * query on the reactive pool answers that, and Flyway runs only when the schema is behind this build
 * (a fresh database, or the first replica of a new release), with its usual validation and locking.
 *
 * <p>The observer runs first among the start-up observers and blocks the start until done: the
 * admin bootstrap, the claimers and the scheduler all need the tables.
 */
@ApplicationScoped
public class SchemaUpgrade {
    private static final Logger LOG = Logger.getLogger(SchemaUpgrade.class);

    void onStart(@Observes @Priority(1) StartupEvent ev, SchemaReads reads, Instance<Flyway> flyway) throws Throwable {
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
        flyway.get().migrate();
    }
}
