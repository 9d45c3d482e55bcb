package dev.sluice.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.common.ApiException;
import dev.sluice.common.Times;
import dev.sluice.common.UuidV7;
import dev.sluice.history.HistoryConfig;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Asks for the undo of a job: an import, a delete-all, or another undo (which redoes what that one
 * undid). The undo is a job of its own, queued like an import and run by any replica.
 */
@ApplicationScoped
public class UndoService {
    static final String CONFLICT_HEADER = "[\"productId\",\"sku\"]";
    private final ImportJobRepository jobs;
    private final UndoSql undo;
    private final ImportRunner runner;
    private final AuditLog audit;
    private final HistoryConfig history;
    private final ObjectMapper json;

    public UndoService(
            ImportJobRepository jobs,
            UndoSql undo,
            ImportRunner runner,
            AuditLog audit,
            HistoryConfig history,
            ObjectMapper json) {
        this.jobs = jobs;
        this.undo = undo;
        this.runner = runner;
        this.audit = audit;
        this.history = history;
        this.json = json;
    }

    /** Queues the undo of {@code target}; a 409 problem says why when it can't be undone. */
    public Uni<ImportJobView> undo(UUID target, boolean force) {
        Actor actor = audit.currentActor();
        // A job's recorded changes don't change once it has ended: counted before the transaction.
        return undo.extent(target)
                .flatMap(extent -> create(target, force, actor, extent))
                .invoke(x -> runner.wake());
    }

    @WithTransaction
    Uni<ImportJobView> create(UUID target, boolean force, Actor actor, UndoSql.Extent extent) {
        // Locked: of two undos asked for at once, the second sees the first.
        return jobs.findById(target, LockModeType.PESSIMISTIC_WRITE)
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("Import", target))
                .flatMap(t -> {
                    UndoRules.Refusal refusal =
                            UndoRules.refusal(t, ImportJobView.of(t, json).options());
                    if (refusal != null) {
                        throw new ApiException(409, "Can't undo this job", refusal.detail())
                                .with("reason", refusal.reason());
                    }
                    ImportJob u = new ImportJob();
                    u.id = UuidV7.next();
                    u.kind = JobKind.UNDO.wire();
                    u.undoOf = t.id;
                    u.force = force;
                    u.filename = t.filename;
                    u.status = ImportStatus.QUEUED.wire();
                    u.phase = ImportPhase.WRITE.wire();
                    u.options = "{}";
                    u.header = CONFLICT_HEADER;
                    u.totalRows = extent.changes();
                    u.recordsHistory = history.enabled();
                    u.createdBy = actor.id();
                    u.createdByEmail = actor.email();
                    u.createdAt = Times.now();
                    t.undoneBy = u.id;
                    Map<String, Object> changes = new LinkedHashMap<>();
                    changes.put("undoJobId", u.id);
                    changes.put("force", force);
                    changes.put("changes", extent.changes());
                    return jobs.persist(u)
                            .call(x -> audit.record(actor, "import.undo", "import", t.id, changes))
                            .map(x -> ImportJobView.of(u, json));
                });
    }
}
