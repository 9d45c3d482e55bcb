package dev.sluice.imports;

import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.common.ApiException;
import dev.sluice.webhook.WebhookEventTypes;
import dev.sluice.webhook.WebhookOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * A cancel request, in one transaction with its audit entry and (for a queued job) its webhook
 * event: the job row is locked first, so a runner claiming it at the same moment sees either the
 * request or nothing.
 */
@ApplicationScoped
public class ImportCancelSql {
    private final Pool pool;
    private final AuditLog audit;
    private final WebhookOutbox outbox;

    public ImportCancelSql(Pool pool, AuditLog audit, WebhookOutbox outbox) {
        this.pool = pool;
        this.audit = audit;
        this.outbox = outbox;
    }

    /**
     * Marks the job as to be cancelled (a queued one is cancelled at once) and returns the status it
     * had; a job that had already ended is left as it was. 404 when there is no such job.
     */
    public Uni<ImportStatus> requestCancel(UUID id, Actor actor) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                with prior as (select status from import_jobs where id = $1 for update)
                                update import_jobs j set cancel_requested = true,
                                    status = case when prior.status = 'queued' then 'cancelled' else j.status end,
                                    completed_at = case when prior.status = 'queued' then now() else j.completed_at end
                                from prior where j.id = $1 returning prior.status as was""")
                .execute(Tuple.of(id))
                .flatMap(rs -> {
                    if (rs.rowCount() == 0) throw ApiException.notFound("Import", id);
                    String wire = rs.iterator().next().getString("was");
                    ImportStatus was = ImportStatus.of(wire);
                    if (was.terminal()) return Uni.createFrom().item(was); // nothing to cancel any more
                    Uni<Void> recorded = audit.record(
                            conn, actor, "import.cancel", "import", id, Map.of("status", Map.of("before", wire)));
                    // A running job is announced by its runner when it stops; a queued one stops here.
                    // A queued job may have been handed back mid-run with rows staged: they are spent now.
                    return (was == ImportStatus.QUEUED
                                    ? recorded.call(x ->
                                                    outbox.enqueueImport(conn, WebhookEventTypes.IMPORT_CANCELLED, id))
                                            .call(x -> ImportStageSql.drop(conn, id))
                                            .call(x -> ImportSql.releaseUndoneBy(conn, id))
                                    : recorded)
                            .replaceWith(was);
                }));
    }
}
