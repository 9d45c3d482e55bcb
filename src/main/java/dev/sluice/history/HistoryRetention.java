package dev.sluice.history;

import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionConfig;
import dev.sluice.common.RetentionTask;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

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
        return mark(cutoff)
                .chain(() -> clearMarkedJobs())
                .flatMap(jobs ->
                        runs.deleteInBatches("""
                                delete from product_history where ctid = any (array(
                                    select ctid from product_history where job_id is null and at < least($2, (
                                        select min(j.started_at) from import_jobs j
                                        where j.history_purged_at is null and j.started_at is not null))
                                    limit $1))""", config.batchSize(), cutoff).map(api -> jobs + api));
    }

    /**
     * Marks the jobs whose changes go: ended before the cutoff, and before every kept job started (a
     * kept job's creations are rebuilt from later changes). Not one an undo is queued for or running
     * on: it reads them.
     */
    private Uni<Void> mark(OffsetDateTime cutoff) {
        return pool.preparedQuery("""
                        update import_jobs j set history_purged_at = now()
                        where j.history_purged_at is null and j.completed_at < least($1, (
                            select min(k.started_at) from import_jobs k
                            where k.completed_at >= $1 or (k.completed_at is null and k.started_at is not null)))
                          and not exists (select 1 from import_jobs u where u.undo_of = j.id and u.status in ('queued', 'running'))""").execute(Tuple.of(cutoff)).replaceWithVoid();
    }

    /** Deletes the marked jobs' changes, a job at a time through its index, and notes each job cleared. */
    private Uni<Long> clearMarkedJobs() {
        return Multi.createBy()
                .repeating()
                .uni(() -> pool.preparedQuery("""
                                select id from import_jobs where history_purged_at is not null and history_cleared_at is null
                                order by history_purged_at limit 100""").execute().map(rs -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row r : rs) ids.add(r.getUUID("id"));
                    return ids;
                }))
                .whilst(ids -> ids.size() == 100)
                .onItem()
                .transformToIterable(ids -> ids)
                .onItem()
                .transformToUniAndConcatenate(job -> runs.deleteInBatches("""
                                delete from product_history where ctid = any (array(
                                    select ctid from product_history where job_id = $2 limit $1))""", config.batchSize(), job)
                        .call(n -> pool.preparedQuery("update import_jobs set history_cleared_at = now() where id = $1")
                                .execute(Tuple.of(job))))
                .collect()
                .with(Collectors.summingLong(n -> n));
    }
}
