package dev.sluice.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.Json;
import dev.sluice.progress.ProgressSnapshot;
import dev.sluice.webhook.WebhookEventTypes;
import dev.sluice.webhook.WebhookOutbox;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Set-based SQL for the import runner: claims, leases, checkpoints and rejected rows. */
@ApplicationScoped
public class ImportSql {
    /** pg_advisory_xact_lock key: claims are serialised so imports into the catalog never interleave. */
    private static final long CLAIM_LOCK = 0x51_1C_E0_02L;

    private final Pool pool;
    private final ObjectMapper json;
    private final WebhookOutbox outbox;

    public ImportSql(Pool pool, ObjectMapper json, WebhookOutbox outbox) {
        this.pool = pool;
        this.json = json;
        this.outbox = outbox;
    }

    public Pool pool() {
        return pool;
    }

    /** The parser's state a resumed run needs to carry on mid-file, stored with each checkpoint. */
    public record ParseState(String encoding, String delimiter, String headerJson, String notes) {}

    /** What a runner needs to (re)start a job. */
    public record Claimed(
            UUID id,
            String objectKey,
            String options,
            String encoding,
            String delimiter,
            String header,
            long checkpointOffset,
            long checkpointLine,
            Long bytesTotal,
            BatchCounts counts,
            long processedRows,
            String notes,
            int attempts,
            ImportPhase phase,
            long stagedRows,
            int scanBatches,
            int writtenBatches,
            Long repeatedKeys,
            JobKind kind,
            UUID undoOf,
            boolean force,
            Long totalRows,
            boolean recordsHistory) {

        /** The same job at the start of its write phase: from the first staged batch, nothing counted yet. */
        Claimed writing(long repeated, int batches, long staged) {
            return new Claimed(
                    id,
                    objectKey,
                    options,
                    encoding,
                    delimiter,
                    header,
                    0,
                    0,
                    bytesTotal,
                    BatchCounts.ZERO,
                    0,
                    notes,
                    attempts,
                    ImportPhase.WRITE,
                    staged,
                    batches,
                    0,
                    repeated,
                    kind,
                    undoOf,
                    force,
                    totalRows,
                    recordsHistory);
        }

        /** The same job scanning again from the first byte (its staged rows were lost). */
        Claimed rescanning() {
            return new Claimed(
                    id,
                    objectKey,
                    options,
                    null,
                    delimiter,
                    null,
                    0,
                    0,
                    bytesTotal,
                    BatchCounts.ZERO,
                    0,
                    notes,
                    attempts,
                    ImportPhase.SCAN,
                    0,
                    0,
                    0,
                    null,
                    kind,
                    undoOf,
                    force,
                    totalRows,
                    recordsHistory);
        }
    }

    /**
     * Takes the oldest queued job, or a running one whose runner's lease ran out (it died), unless
     * another import is running. Restarting from offset 0 resets the counts: nothing was committed.
     */
    public Uni<Claimed> claim(String owner, Duration lease) {
        return pool.withTransaction(conn -> conn.preparedQuery("select pg_try_advisory_xact_lock($1) as locked")
                .execute(Tuple.of(CLAIM_LOCK))
                .flatMap(rs -> !rs.iterator().next().getBoolean("locked")
                        ? Uni.createFrom().nullItem()
                        : conn.preparedQuery("""
                        update import_jobs set status = 'running', lease_owner = $1,
                            lease_expires_at = now() + $2 * interval '1 millisecond',
                            started_at = coalesce(started_at, now()), attempts = attempts + 1,
                            bytes_read = case when phase = 'write' then checkpoint_offset else 0 end,
                            scanned_bytes = case when phase = 'scan' then checkpoint_offset else scanned_bytes end,
                            -- Nothing committed yet (an undo has no offset, only batches): the counts start again.
                            processed_rows = case when checkpoint_offset = 0 and written_batches = 0 then 0 else processed_rows end,
                            created = case when checkpoint_offset = 0 and written_batches = 0 then 0 else created end,
                            updated = case when checkpoint_offset = 0 and written_batches = 0 then 0 else updated end,
                            unchanged = case when checkpoint_offset = 0 and written_batches = 0 then 0 else unchanged end,
                            duplicates = case when checkpoint_offset = 0 and written_batches = 0 then 0 else duplicates end,
                            rejected = case when checkpoint_offset = 0 and written_batches = 0 then 0 else rejected end,
                            deleted = case when checkpoint_offset = 0 and written_batches = 0 then 0 else deleted end,
                            restored = case when checkpoint_offset = 0 and written_batches = 0 then 0 else restored end,
                            conflicts = case when checkpoint_offset = 0 and written_batches = 0 then 0 else conflicts end
                        where id = (
                            select id from import_jobs j
                            where (j.status = 'queued' or (j.status = 'running' and j.lease_expires_at < now()))
                              and not exists (select 1 from import_jobs r where r.status = 'running'
                                              and r.lease_expires_at >= now() and r.id <> j.id)
                            order by j.created_at limit 1
                            for update skip locked)
                          -- Backoff after an interrupted run (see interrupted()): nobody before retry_not_before,
                          -- the instance that was interrupted not before twice the wait. The oldest job still
                          -- goes first (imports never interleave), so a job waiting here holds the queue.
                          and (retry_not_before is null or retry_not_before
                               + case when interrupted_by = $1 then retry_not_before - interrupted_at else interval '0' end <= now())
                        returning id, object_key, options, encoding, delimiter, header, checkpoint_offset, checkpoint_line,
                                  bytes_total, created, updated, unchanged, duplicates, rejected, deleted, restored, conflicts,
                                  processed_rows, notes, attempts,
                                  phase, staged_rows, scan_batches, written_batches, repeated_keys,
                                  kind, undo_of, force, total_rows, records_history
                        """)
                                .execute(Tuple.of(owner, lease.toMillis()))
                                .flatMap(r -> {
                                    if (r.rowCount() == 0)
                                        return Uni.createFrom().<Claimed>nullItem();
                                    Row row = r.iterator().next();
                                    Claimed job = claimed(row);
                                    // Announced with the claim that starts it, once: resumed runs are the same import.
                                    // An undo is announced when it ends (import.undone).
                                    return row.getInteger("attempts") > 1 || job.kind() != JobKind.IMPORT
                                            ? Uni.createFrom().item(job)
                                            : outbox.enqueueImport(conn, WebhookEventTypes.IMPORT_STARTED, job.id())
                                                    .replaceWith(job);
                                })));
    }

    private static Claimed claimed(Row r) {
        return new Claimed(
                r.getUUID("id"),
                r.getString("object_key"),
                r.getString("options"),
                r.getString("encoding"),
                r.getString("delimiter"),
                r.getString("header"),
                r.getLong("checkpoint_offset"),
                r.getLong("checkpoint_line"),
                r.getLong("bytes_total"),
                new BatchCounts(
                        r.getLong("created"),
                        r.getLong("updated"),
                        r.getLong("unchanged"),
                        r.getLong("duplicates"),
                        r.getLong("rejected"),
                        r.getLong("deleted"),
                        r.getLong("restored"),
                        r.getLong("conflicts")),
                r.getLong("processed_rows"),
                r.getString("notes"),
                r.getInteger("attempts"),
                ImportPhase.of(r.getString("phase")),
                r.getLong("staged_rows"),
                r.getInteger("scan_batches"),
                r.getInteger("written_batches"),
                r.getLong("repeated_keys"),
                JobKind.of(r.getString("kind")),
                r.getUUID("undo_of"),
                r.getBoolean("force"),
                r.getLong("total_rows"),
                r.getBoolean("records_history"));
    }

    /** Extends the lease; returns whether a cancel was requested, or null when the lease is lost. */
    public Uni<Boolean> renew(UUID id, String owner, Duration lease) {
        return pool.preparedQuery("""
                        update import_jobs set lease_expires_at = now() + $3 * interval '1 millisecond'
                        where id = $1 and lease_owner = $2 and status = 'running' returning cancel_requested""")
                .execute(Tuple.of(id, owner, lease.toMillis()))
                .map(rs -> rs.rowCount() == 0 ? null : rs.iterator().next().getBoolean("cancel_requested"));
    }

    /**
     * Records a written batch's counts and where the write stands. With {@code checkpoint} (skip mode,
     * inside the batch's transaction) it also moves the resume point: the batches written so far.
     * Fenced by the lease: a runner that lost its job can't commit. Returns whether a cancel was requested.
     */
    public Uni<Boolean> progress(
            SqlClient client,
            UUID id,
            String owner,
            BatchCounts c,
            long rows,
            long endOffset,
            int batchesWritten,
            boolean checkpoint) {
        return client.preparedQuery("""
                        update import_jobs set processed_rows = processed_rows + $3, created = created + $4,
                            updated = updated + $5, unchanged = unchanged + $6, duplicates = duplicates + $7,
                            rejected = rejected + $8, bytes_read = $9,
                            checkpoint_offset = case when $11 then $9 else checkpoint_offset end,
                            written_batches = case when $11 then $10 else written_batches end,
                            deleted = deleted + $12, restored = restored + $13, conflicts = conflicts + $14
                        where id = $1 and lease_owner = $2 and status = 'running' and phase = 'write'
                        returning cancel_requested""")
                .execute(Tuple.tuple(Arrays.asList(
                        id,
                        owner,
                        rows,
                        c.created(),
                        c.updated(),
                        c.unchanged(),
                        c.duplicates(),
                        c.rejected(),
                        endOffset,
                        batchesWritten,
                        checkpoint,
                        c.deleted(),
                        c.restored(),
                        c.conflicts())))
                .map(rs -> {
                    if (rs.rowCount() == 0) throw new RunSignal.LeaseLost();
                    return rs.iterator().next().getBoolean("cancel_requested");
                });
    }

    /**
     * Holds the job row for the caller's transaction, and fails it with {@link RunSignal.LeaseLost} when
     * this runner no longer owns the job: an all-or-nothing run must not commit after another took over.
     */
    public Uni<Void> fence(SqlClient client, UUID id, String owner) {
        return client.preparedQuery("""
                        select 1 from import_jobs where id = $1 and lease_owner = $2 and status = 'running' for update""")
                .execute(Tuple.of(id, owner))
                .invoke(rs -> {
                    if (rs.rowCount() == 0) throw new RunSignal.LeaseLost();
                })
                .replaceWithVoid();
    }

    /**
     * Fresh planner statistics after an import changed the catalogue: list totals above the exact-count
     * limit are the planner's estimates, and query plans want current row counts too. Autovacuum would
     * get there, minutes later.
     */
    public Uni<Void> analyzeProducts() {
        return pool.query("analyze products").execute().replaceWithVoid();
    }

    /** How many products the planner believes there are (its last ANALYZE or VACUUM), at least 0. */
    public Uni<Long> productsEstimate() {
        return pool.query("select greatest(reltuples, 0)::int8 from pg_class where oid = 'products'::regclass")
                .execute()
                .map(rs -> rs.iterator().next().getLong(0));
    }

    /**
     * Before a job that looks products up by id: when most of the table is dead rows (a delete-all, or an
     * undo that deleted what an import created), vacuums it. The statistics then say "nearly empty"
     * while the indexes still hold every dead row; the planner, seeing no difference, may probe by id
     * through the (name, id) index, which then means scanning all of it once per row (measured: 55 ms a
     * row, five minutes a batch, redoing a million-row import).
     */
    public Uni<Void> tidyProducts() {
        return pool.query("""
                        select coalesce(n_dead_tup > 10000 and n_dead_tup > n_live_tup, false) as dead
                        from pg_stat_user_tables where relid = 'products'::regclass""")
                .execute()
                .flatMap(rs -> rs.rowCount() > 0 && rs.iterator().next().getBoolean("dead")
                        ? pool.query("vacuum (analyze) products").execute().replaceWithVoid()
                        : Uni.createFrom().voidItem());
    }

    /** Ends a run. {@code discardApplied}: an aborted all-or-nothing run applied nothing. */
    public Uni<Boolean> finish(UUID id, String owner, String status, String error, boolean discardApplied) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        update import_jobs set status = $3::text, error_message = $4, completed_at = now(),
                            total_rows = case when $3::text = 'completed' then processed_rows else total_rows end,
                            created = case when $5 then 0 else created end, updated = case when $5 then 0 else updated end,
                            unchanged = case when $5 then 0 else unchanged end, duplicates = case when $5 then 0 else duplicates end,
                            lease_owner = null, lease_expires_at = null
                        where id = $1 and lease_owner = $2
                        returning kind""")
                .execute(Tuple.of(id, owner, status, error, discardApplied))
                // The look-ahead is spent once the job has ended, however it ended.
                .call(rs -> rs.rowCount() != 1 ? Uni.createFrom().voidItem() : ImportStageSql.drop(conn, id))
                .call(rs -> rs.rowCount() != 1 ? Uni.createFrom().voidItem() : releaseUndoneBy(conn, id))
                .flatMap(rs -> rs.rowCount() != 1
                        ? Uni.createFrom().item(false)
                        // import.completed (import.undone for an undo), import.failed or import.cancelled, committed
                        // with the status it announces, and one audit entry with the job's summary (never one per row).
                        : announce(
                                        conn,
                                        id,
                                        JobKind.of(rs.iterator().next().getString("kind")),
                                        ImportStatus.of(status))
                                .replaceWith(true)));
    }

    /**
     * An undo that was cancelled or failed no longer holds its target: asking for the target's undo
     * again resumes it (UndoService), from its checkpoint.
     */
    static Uni<Void> releaseUndoneBy(SqlClient conn, UUID undo) {
        return conn.preparedQuery("""
                        update import_jobs t set undone_by = null
                        from import_jobs u
                        where u.id = $1 and u.kind = 'undo' and u.status in ('cancelled', 'failed')
                          and t.id = u.undo_of and t.undone_by = u.id""").execute(Tuple.of(undo)).replaceWithVoid();
    }

    private Uni<Void> announce(SqlClient conn, UUID id, JobKind kind, ImportStatus status) {
        String event = kind == JobKind.UNDO && status == ImportStatus.COMPLETED
                ? WebhookEventTypes.IMPORT_UNDONE
                : status.eventType();
        return outbox.enqueueImport(conn, event, id)
                .call(x -> conn.preparedQuery("""
                                        insert into audit_log (id, at, actor_id, actor_email, action, entity, entity_id, changes)
                                        select gen_random_uuid(), now(), j.created_by, u.email, $2, 'import', j.id::text,
                                               jsonb_build_object('summary', import_job_summary(j.id))
                                        from import_jobs j left join users u on u.id = j.created_by where j.id = $1""").execute(Tuple.of(id, event)))
                .replaceWithVoid();
    }

    /**
     * The job as a progress snapshot, straight from the database; null when it doesn't exist. The
     * seconds since it started come from the database's clock, for a rate (see ImportRows.snapshot).
     */
    public Uni<ProgressSnapshot> snapshot(UUID id) {
        return pool.preparedQuery("""
                        select *, extract(epoch from now() - started_at)::float8 as seconds_running
                        from import_jobs where id = $1""")
                .execute(Tuple.of(id))
                .map(rs -> rs.rowCount() == 0
                        ? null
                        : ImportRows.snapshot(rs.iterator().next()));
    }

    /**
     * How an interrupted run was recorded: {@code requeued} with a wait before the next run, or not
     * (the retry budget is spent: the caller fails the job). {@code runs} interrupted runs in a row,
     * the first {@code over} ago.
     */
    public record Interruption(boolean requeued, int runs, Duration over, Duration retryIn) {}

    /**
     * A run was cut short by a lost PostgreSQL or S3 connection: hands the job back with a
     * not-before time (exponential backoff, half of it random, so replicas interrupted by one
     * outage don't all return at once), unless this was run {@code maxRuns} or later of a streak
     * older than {@code budget}. A run that moved the checkpoint starts a new streak: slow progress
     * through a flaky network is still progress. Null when the lease was lost.
     */
    public Uni<Interruption> interrupted(
            UUID id, String owner, String error, Duration backoff, Duration backoffMax, int maxRuns, Duration budget) {
        return pool.preparedQuery("""
                        with cur as (
                            select id,
                                   case when checkpoint_offset <= interrupted_offset then interruptions else 0 end + 1 as n,
                                   case when checkpoint_offset <= interrupted_offset then interrupted_since else now() end as since
                            from import_jobs where id = $1 and lease_owner = $2 and status = 'running' for update
                        ), requeued as (
                            update import_jobs j set status = 'queued', lease_owner = null, lease_expires_at = null,
                                interruptions = cur.n, interrupted_since = cur.since, interrupted_offset = j.checkpoint_offset,
                                interrupted_by = $2, interrupted_at = now(), last_interruption = $3,
                                retry_not_before = now() + least($5::float8, $4::float8 * power(2, cur.n - 1))
                                                           * (0.5 + random() / 2) * interval '1 millisecond'
                            from cur where j.id = cur.id and not (cur.n >= $6 and cur.since <= now() - $7 * interval '1 millisecond')
                            returning (extract(epoch from j.retry_not_before - now()) * 1000)::int8 as wait_ms
                        )
                        select cur.n, (extract(epoch from now() - cur.since) * 1000)::int8 as over_ms,
                               (select wait_ms from requeued) as wait_ms
                        from cur""")
                .execute(Tuple.tuple(Arrays.asList(
                        id, owner, error, backoff.toMillis(), backoffMax.toMillis(), maxRuns, budget.toMillis())))
                .map(rs -> {
                    if (rs.rowCount() == 0) return null;
                    Row r = rs.iterator().next();
                    Long wait = r.getLong("wait_ms");
                    return new Interruption(
                            wait != null,
                            r.getInteger("n"),
                            Duration.ofMillis(r.getLong("over_ms")),
                            wait == null ? Duration.ZERO : Duration.ofMillis(wait));
                });
    }

    /** Hands a job back to the queue (graceful shutdown): another instance resumes it from the checkpoint. */
    public Uni<Void> release(UUID id, String owner) {
        return pool.preparedQuery("""
                        update import_jobs set status = 'queued', lease_owner = null, lease_expires_at = null
                        where id = $1 and lease_owner = $2 and status = 'running'""").execute(Tuple.of(id, owner)).replaceWithVoid();
    }

    public Uni<Void> insertRejects(SqlClient client, UUID jobId, List<RejectedRow> rejects) {
        if (rejects.isEmpty()) return Uni.createFrom().voidItem();
        Long[] lines = new Long[rejects.size()];
        String[] raws = new String[rejects.size()], errors = new String[rejects.size()];
        for (int i = 0; i < rejects.size(); i++) {
            RejectedRow r = rejects.get(i);
            lines[i] = r.line();
            // jsonb can't hold NUL: a NUL in a rejected row is kept as U+FFFD in the report.
            raws[i] = Json.pgSafe(Json.write(json, r.raw()));
            errors[i] = Json.pgSafe(Json.write(json, r.problems()));
        }
        return client.preparedQuery("""
                        insert into import_rejects (job_id, line, raw, errors)
                        select $1, l, r::jsonb, e::jsonb from unnest($2::int8[], $3::text[], $4::text[]) as t(l, r, e)
                        on conflict (job_id, line) do nothing""")
                .execute(Tuple.of(jobId, lines, raws, errors))
                .replaceWithVoid();
    }

    /**
     * One reason a row was refused, as the errors endpoint lists it. An undo lists its conflicts here:
     * the product, who changed it last ({@code changedBy}, {@code changeSource}: api, import, undo or
     * delete-all; {@code changeJob}: the job that did, if any) and when.
     */
    public record ErrorEntry(
            long line,
            String column,
            String value,
            String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) UUID productId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String changedBy,
            @JsonInclude(JsonInclude.Include.NON_NULL) String changedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String changeSource,
            @JsonInclude(JsonInclude.Include.NON_NULL) UUID changeJob) {
        ErrorEntry(long line, String column, String value, String reason) {
            this(line, column, value, reason, null, null, null, null, null);
        }

        /** The reason with who changed the product last and when, for the CSV where they have no column. */
        String reasonWithChange() {
            if (changeSource == null) return reason;
            return reason + ", last by " + (changedBy == null ? "the system" : changedBy) + " (" + changeSource
                    + ") at " + changedAt;
        }

        static ErrorEntry of(long line, io.vertx.core.json.JsonObject p) {
            String product = p.getString("productId");
            return new ErrorEntry(
                    line,
                    p.getString("column"),
                    p.getString("value"),
                    p.getString("reason"),
                    product == null ? null : UUID.fromString(product),
                    p.getString("changedBy"),
                    p.getString("changedAt"),
                    p.getString("changeSource"),
                    p.getString("changeJob") == null ? null : UUID.fromString(p.getString("changeJob")));
        }
    }

    public Uni<List<ErrorEntry>> errors(UUID jobId, int page, int size) {
        return pool.preparedQuery(
                        "select line, errors from import_rejects where job_id = $1 order by line limit $2 offset $3")
                .execute(Tuple.of(jobId, size, (long) page * size))
                .map(rs -> {
                    List<ErrorEntry> out = new ArrayList<>();
                    for (Row r : rs) {
                        JsonArray problems = (JsonArray) r.getValue("errors");
                        for (int i = 0; i < problems.size(); i++) {
                            out.add(ErrorEntry.of(r.getLong("line"), problems.getJsonObject(i)));
                        }
                    }
                    return out;
                });
    }

    public Uni<Long> countRejects(UUID jobId) {
        return pool.preparedQuery("select count(*) from import_rejects where job_id = $1")
                .execute(Tuple.of(jobId))
                .map(rs -> rs.iterator().next().getLong(0));
    }

    /** A rejected row as stored: its line, its cells as read from the file, and why it was refused. */
    public record StoredReject(long line, List<String> raw, List<ErrorEntry> errors) {}

    /** Every rejected row, in file order, a page at a time (keyset on line): constant memory for any count. */
    public Multi<StoredReject> rejects(UUID jobId) {
        int page = 1000;
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> new long[] {0},
                        last -> pool.preparedQuery(
                                        "select line, raw, errors from import_rejects where job_id = $1 and line > $2 order by line limit $3")
                                .execute(Tuple.of(jobId, last[0], page))
                                .map(rs -> {
                                    List<StoredReject> rows = new ArrayList<>();
                                    for (Row r : rs) rows.add(storedReject(r));
                                    if (!rows.isEmpty())
                                        last[0] = rows.getLast().line();
                                    return rows;
                                }))
                .whilst(rows -> rows.size() == page)
                .onItem()
                .transformToIterable(rows -> rows);
    }

    private static StoredReject storedReject(Row r) {
        long line = r.getLong("line");
        JsonArray raw = (JsonArray) r.getValue("raw");
        JsonArray problems = (JsonArray) r.getValue("errors");
        List<String> cells = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) cells.add(raw.getString(i));
        List<ErrorEntry> errors = new ArrayList<>(problems.size());
        for (int i = 0; i < problems.size(); i++) {
            errors.add(ErrorEntry.of(line, problems.getJsonObject(i)));
        }
        return new StoredReject(line, cells, errors);
    }
}
