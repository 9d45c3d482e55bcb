package dev.sluice.imports;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Set-based SQL for the scan's stage: staged rows and batches, the scan's checkpoint, and the switch
 * to the write phase, where the keys the file repeats get their last line ({@code import_last}).
 */
@ApplicationScoped
public class ImportStageSql {
    private final Pool pool;

    public ImportStageSql(Pool pool) {
        this.pool = pool;
    }

    /** Stages a scanned batch's valid rows (PostgreSQL folds the keys with lower(), as the unique index does) and its extent. */
    public Uni<Void> stage(SqlClient client, UUID jobId, int batchNo, Batch b) {
        ProductColumns r = b.rows();
        return client.preparedQuery("""
                        with staged as (
                            insert into import_rows (job_id, batch, line, k, id, sku, name, description, price, quantity,
                                                     active, raw, attrs)
                            select $1, $2, l, lower(s), i, s, n, d, p::numeric(12,2), q, a, w, x::jsonb
                            from unnest($3::int8[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int4[],
                                        $10::bool[], $11::text[], $15::text[]) as t(l, i, s, n, d, p, q, a, w, x)
                            returning 1
                        )
                        insert into import_batches (job_id, batch, rows, rejected, end_offset)
                        values ($1, $2, $12, $13, $14)""")
                .execute(Tuple.tuple(Arrays.asList(
                        jobId,
                        batchNo,
                        r.lines(),
                        r.ids(),
                        r.sku(),
                        r.name(),
                        r.description(),
                        r.price(),
                        r.quantity(),
                        r.active(),
                        r.raw(),
                        b.size(),
                        b.rejectedCount(),
                        b.endOffset(),
                        r.attrs())))
                .replaceWithVoid();
    }

    /** The scan's checkpoint, in the transaction that staged the batch. Fenced by the lease; says whether a cancel was requested. */
    public Uni<Boolean> checkpoint(
            SqlClient client,
            UUID id,
            String owner,
            int batchesStaged,
            long rows,
            long offset,
            long line,
            ImportSql.ParseState state) {
        return client.preparedQuery("""
                        update import_jobs set staged_rows = staged_rows + $4, scan_batches = $3, scanned_bytes = $5,
                            checkpoint_offset = $5, checkpoint_line = $6,
                            encoding = $7, delimiter = $8, header = $9, notes = $10
                        where id = $1 and lease_owner = $2 and status = 'running' and phase = 'scan'
                        returning cancel_requested""")
                .execute(Tuple.tuple(Arrays.asList(
                        id,
                        owner,
                        batchesStaged,
                        rows,
                        offset,
                        line,
                        state.encoding(),
                        state.delimiter(),
                        state.headerJson(),
                        state.notes())))
                .map(rs -> {
                    if (rs.rowCount() == 0) throw new RunSignal.LeaseLost();
                    return rs.iterator().next().getBoolean("cancel_requested");
                });
    }

    /** What the switch to the write phase found. */
    public record Switched(long repeatedKeys, int batches, long stagedRows) {}

    /**
     * Ends the scan: keeps the last line of every key the file repeats and starts the write phase at the
     * first staged batch. Returns null when the staged rows are not all there (a PostgreSQL crash empties
     * the unlogged stage): then the job is reset to scan again from the start, which is always safe since
     * the scan writes no product.
     */
    public Uni<Switched> finishScan(UUID id, String owner) {
        // The look-ahead first, without locking the job row: on a large file the GROUP BY takes seconds, and
        // lease renewals (which update that row) must not queue behind it. Fenced by the lease, and idempotent.
        return pool.withTransaction(conn -> conn.preparedQuery("delete from import_last where job_id = $1")
                        .execute(Tuple.of(id))
                        .chain(() -> conn.preparedQuery("""
                                        with last as (
                                            insert into import_last (job_id, k, line)
                                            select $1, k, max(line) from import_rows
                                            where job_id = $1 and exists (select 1 from import_jobs j where j.id = $1
                                                and j.lease_owner = $2 and j.status = 'running' and j.phase = 'scan')
                                            group by k having count(*) > 1
                                            returning 1
                                        )
                                        select count(*) from last""").execute(Tuple.of(id, owner)))
                        .map(rs -> rs.iterator().next().getLong(0)))
                // A fresh table has no statistics: without them the planner may scan it whole for every batch.
                .call(n -> pool.query("analyze import_rows").execute())
                .flatMap(repeated -> pool.withTransaction(conn -> conn.preparedQuery("""
                                select (select count(*) from import_rows where job_id = $1) as found,
                                       (select count(*) from import_batches where job_id = $1) as batches_found,
                                       j.staged_rows, j.scan_batches
                                from import_jobs j
                                where j.id = $1 and j.lease_owner = $2 and j.status = 'running' and j.phase = 'scan'
                                for update""")
                        .execute(Tuple.of(id, owner))
                        .flatMap(rs -> {
                            if (rs.rowCount() == 0) throw new RunSignal.LeaseLost();
                            Row r = rs.iterator().next();
                            long staged = r.getLong("staged_rows");
                            int batches = r.getInteger("scan_batches");
                            // A crash that emptied the unlogged stage: rows, or batches with no valid row, are missing.
                            if (r.getLong("found") != staged || r.getLong("batches_found") != batches) {
                                return restart(conn, id);
                            }
                            // The interruption streak counts from here: the write's checkpoint starts again at 0.
                            return conn.preparedQuery("""
                                            update import_jobs set phase = 'write', repeated_keys = $2, checkpoint_offset = 0,
                                                checkpoint_line = 0, bytes_read = 0, written_batches = 0,
                                                interruptions = 0, interrupted_offset = null, interrupted_since = null
                                            where id = $1""")
                                    .execute(Tuple.of(id, repeated))
                                    .replaceWith(new Switched(repeated, batches, staged));
                        })));
    }

    private static Uni<Switched> restart(SqlClient conn, UUID id) {
        return drop(conn, id)
                .call(x -> conn.preparedQuery("""
                        update import_jobs set staged_rows = 0, scan_batches = 0, scanned_bytes = 0, checkpoint_offset = 0,
                            checkpoint_line = 0, encoding = null, header = null where id = $1""").execute(Tuple.of(id)))
                .replaceWith((Switched) null);
    }

    /** Whether the stage still holds every batch the scan committed (an unlogged table is emptied by a crash). */
    public Uni<Boolean> intact(UUID id, int batches) {
        return pool.preparedQuery("select count(*) from import_batches where job_id = $1")
                .execute(Tuple.of(id))
                .map(rs -> rs.iterator().next().getLong(0) == batches);
    }

    /** The staged batches from {@code from} on, in file order, a page at a time: constant memory for any file. */
    public Multi<StagedBatch> batches(UUID jobId, int from, int total) {
        int page = 200;
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> new int[] {from},
                        next -> pool.preparedQuery("""
                                select batch, rows, rejected, end_offset from import_batches
                                where job_id = $1 and batch >= $2 order by batch limit $3""")
                                .execute(Tuple.of(jobId, next[0], page))
                                .map(rs -> {
                                    List<StagedBatch> out = new ArrayList<>(rs.size());
                                    for (Row r : rs) {
                                        int b = r.getInteger("batch");
                                        out.add(new StagedBatch(
                                                b,
                                                r.getInteger("rows"),
                                                r.getInteger("rejected"),
                                                r.getLong("end_offset"),
                                                b == total - 1));
                                    }
                                    if (!out.isEmpty()) next[0] = out.getLast().batch() + 1;
                                    return out;
                                }))
                .whilst(list -> list.size() == page)
                .onItem()
                .transformToIterable(list -> list);
    }

    /**
     * Drops a job's stage and look-ahead: spent once the job has ended, however it ended. When no other
     * job is queued or running (imports run one at a time, so usually) the stage is truncated: deleting
     * a million staged rows costs seconds and leaves them for vacuum.
     */
    static Uni<Void> drop(SqlClient client, UUID id) {
        return client.preparedQuery("""
                        select exists (select 1 from import_jobs where id <> $1
                                       and status in ('queued', 'running')) as others""")
                .execute(Tuple.of(id))
                .flatMap(rs -> rs.iterator().next().getBoolean("others")
                        ? client.preparedQuery("delete from import_rows where job_id = $1")
                                .execute(Tuple.of(id))
                        : client.query("truncate import_rows").execute())
                .call(x -> client.preparedQuery("delete from import_batches where job_id = $1")
                        .execute(Tuple.of(id)))
                .call(x -> client.preparedQuery("delete from import_last where job_id = $1")
                        .execute(Tuple.of(id)))
                .replaceWithVoid();
    }
}
