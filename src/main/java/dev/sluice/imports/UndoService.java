package dev.sluice.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.common.ApiException;
import dev.sluice.common.Times;
import dev.sluice.common.UuidV7;
import dev.sluice.history.HistoryConfig;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
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

    /**
     * Queues the undo of {@code target}; a 409 problem says why when it can't be undone. An undo that
     * was cancelled or failed part-way is queued again instead, and carries on from its checkpoint:
     * the products it had undone stay undone and are not counted twice. Undoing a delete-all, or
     * anything in a chain of undos that began with one, takes an ADMIN, as the delete-all did.
     */
    public Uni<ImportJobView> undo(UUID target, boolean force, boolean admin) {
        Actor actor = audit.currentActor();
        return rootKind(target)
                .invoke(root -> {
                    if (root == JobKind.DELETE_ALL && !admin) {
                        throw new ApiException(
                                403,
                                "Forbidden",
                                "Undoing a delete-all, or an undo of one, deletes or restores every product: it "
                                        + "takes the ADMIN role, like the delete-all itself");
                    }
                })
                .chain(() -> create(target, force, actor))
                .invoke(x -> runner.wake());
    }

    /** The kind of the job a chain of undos began with (a few hops at most). */
    @WithSession
    Uni<JobKind> rootKind(UUID id) {
        return rootKind(id, 0);
    }

    private Uni<JobKind> rootKind(UUID id, int hops) {
        return jobs.findById(id).flatMap(j -> {
            if (j == null) throw ApiException.notFound("Import", id);
            JobKind kind = JobKind.of(j.kind);
            return kind == JobKind.UNDO && j.undoOf != null && hops < 100
                    ? rootKind(j.undoOf, hops + 1)
                    : Uni.createFrom().item(kind);
        });
    }

    @WithTransaction
    Uni<ImportJobView> create(UUID target, boolean force, Actor actor) {
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
                    return jobs.stoppedUndoOf(t.id)
                            .flatMap(stopped -> stopped != null
                                    ? resume(t, stopped, force, actor)
                                    // A job's recorded changes don't change once it has ended: counted here, once.
                                    : undo.changes(t.id).flatMap(changes -> queue(t, force, actor, changes)));
                });
    }

    private Uni<ImportJobView> queue(ImportJob t, boolean force, Actor actor, long recorded) {
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
        u.totalRows = recorded;
        u.recordsHistory = history.enabled();
        u.createdBy = actor.id();
        u.createdByEmail = actor.email();
        u.createdAt = Times.now();
        t.undoneBy = u.id;
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("undoJobId", u.id);
        changes.put("force", force);
        changes.put("changes", recorded);
        return jobs.persist(u)
                .call(x -> audit.record(actor, "import.undo", "import", t.id, changes))
                .map(x -> ImportJobView.of(u, json));
    }

    /** The stopped undo, queued again: it resumes from its checkpoint, with its counts so far. */
    private Uni<ImportJobView> resume(ImportJob t, ImportJob u, boolean force, Actor actor) {
        String was = u.status;
        u.status = ImportStatus.QUEUED.wire();
        u.force = force;
        u.cancelRequested = false;
        u.errorMessage = null;
        u.completedAt = null;
        u.leaseOwner = null;
        u.leaseExpiresAt = null;
        t.undoneBy = u.id;
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("undoJobId", u.id);
        changes.put("force", force);
        changes.put("resumed", Map.of("status", was, "processedRows", u.processedRows));
        return audit.record(actor, "import.undo", "import", t.id, changes).map(x -> ImportJobView.of(u, json));
    }
}
