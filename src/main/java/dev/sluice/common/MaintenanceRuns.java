package dev.sluice.common;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Makes a scheduled job run once per interval across all replicas: a run first claims the job's row
 * in {@code maintenance_runs}, which succeeds only if the last run finished (or died over an hour
 * ago) and started at least {@code minGap} ago. The scheduler's SKIP covers overlap within one
 * instance; this covers the others.
 */
@ApplicationScoped
public class MaintenanceRuns {
    private static final Logger LOG = Logger.getLogger(MaintenanceRuns.class);
    private final Pool pool;
    private final InstanceId instance;

    public MaintenanceRuns(Pool pool, InstanceId instance) {
        this.pool = pool;
        this.instance = instance;
    }

    /** What a job did: whether this instance ran it, and how many things it removed. */
    public record Result(String job, boolean ran, long removed) {
        static Result skipped(String job) {
            return new Result(job, false, 0);
        }
    }

    /** Runs {@code work} (returning how many things it removed) if this instance wins the claim. */
    public Uni<Result> runOnce(String job, Duration minGap, Supplier<Uni<Long>> work) {
        return claim(job, minGap).flatMap(won -> {
            if (!won) return Uni.createFrom().item(Result.skipped(job));
            return work.get()
                    .onFailure()
                    .call(e -> finish(job, "failed: " + e.getMessage()))
                    .call(n -> finish(job, "removed " + n))
                    .invoke(n -> {
                        if (n > 0) LOG.infof("Maintenance %s: removed %d", job, n);
                    })
                    .map(n -> new Result(job, true, n));
        });
    }

    Uni<Boolean> claim(String job, Duration minGap) {
        return pool.preparedQuery("""
                        insert into maintenance_runs as m (name, started_at, started_by) values ($1, now(), $2)
                        on conflict (name) do update set started_at = now(), started_by = $2, finished_at = null, result = null
                        where m.started_at <= now() - $3 * interval '1 millisecond'
                          and (m.finished_at is not null or m.started_at < now() - interval '1 hour')
                        returning name""")
                .execute(Tuple.of(job, instance.value(), minGap.toMillis()))
                .map(rs -> rs.rowCount() == 1);
    }

    private Uni<Void> finish(String job, String result) {
        return pool.preparedQuery(
                        "update maintenance_runs set finished_at = now(), result = $3 where name = $1 and started_by = $2")
                .execute(Tuple.of(job, instance.value(), result))
                .replaceWithVoid();
    }

    /**
     * Deletes in batches until a batch comes back short, so a large backlog never holds one long
     * transaction. {@code sql} must delete at most $1 rows and may use $2.
     */
    public Uni<Long> deleteInBatches(String sql, int batch, Object arg) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(batch, arg))
                .flatMap(rs -> rs.rowCount() < batch
                        ? Uni.createFrom().item((long) rs.rowCount())
                        : deleteInBatches(sql, batch, arg).map(n -> n + rs.rowCount()));
    }
}
