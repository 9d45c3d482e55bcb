package dev.sluice.history;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionConfig;
import dev.sluice.common.RetentionTask;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Deletes recorded changes older than {@code app.retention.product-history}. A job's changes go
 * together, once the job ended before the cutoff: it is marked first, so it can't be undone from a
 * half-purged history (its undo gets a 409), and a purge cut short carries on at the next run. API
 * writes go by age.
 * <p>
 * Nothing goes while a kept job could still need it: a creation by an import is rebuilt from the
 * product's later changes ({@link CreatedImages}), so a change is purged only once it is older than
 * the start of every job whose changes are kept.
 */
@ApplicationScoped
public class HistoryRetention implements RetentionTask {
    private final MaintenanceRuns runs;
    private final RetentionConfig config;
    private final Pool pool;

    public HistoryRetention(MaintenanceRuns runs, RetentionConfig config, Pool pool) {
        this.runs = runs;
        this.config = config;
        this.pool = pool;
    }

    @Override
    public String name() {
        return "product-history";
    }

    @Override
    public Uni<Long> purge() {
        var cutoff = Instant.now().minus(config.productHistory()).atOffset(ZoneOffset.UTC);
        return pool.preparedQuery("""
                        update import_jobs set history_purged_at = now()
                        where history_purged_at is null and completed_at < least($1, (
                            select min(k.started_at) from import_jobs k
                            where k.completed_at >= $1 or (k.completed_at is null and k.started_at is not null)))""")
                .execute(Tuple.of(cutoff))
                .chain(() -> runs.deleteInBatches("""
                        delete from product_history where ctid = any (array(
                            select h.ctid from import_jobs j join product_history h on h.job_id = j.id
                            where j.history_purged_at is not null limit $1))
                          and $2::timestamptz is not null -- the cutoff, unused: the marked jobs are due""", config.batchSize(), cutoff))
                .flatMap(jobs ->
                        runs.deleteInBatches("""
                                delete from product_history where ctid = any (array(
                                    select ctid from product_history where job_id is null and at < least($2, (
                                        select min(j.started_at) from import_jobs j
                                        where j.history_purged_at is null and j.started_at is not null))
                                    limit $1))""", config.batchSize(), cutoff).map(api -> jobs + api));
    }
}
