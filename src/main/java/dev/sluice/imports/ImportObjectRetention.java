package dev.sluice.imports;

import dev.sluice.common.Dependency;
import dev.sluice.common.RetentionConfig;
import dev.sluice.common.RetentionTask;
import dev.sluice.upload.ObjectStore;
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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deletes the uploaded CSV of imports that finished long ago. An object another import still
 * needs (queued, running, or finished recently) is kept.
 */
@ApplicationScoped
public class ImportObjectRetention implements RetentionTask {
    private static final int PAGE = 100;
    private final RetentionConfig config;
    private final Pool pool;
    private final ObjectStore store;

    public ImportObjectRetention(RetentionConfig config, Pool pool, ObjectStore store) {
        this.config = config;
        this.pool = pool;
        this.store = store;
    }

    /** Deletes S3 objects (or aborts S3 uploads) as well as rows. */
    @Override
    public Set<Dependency> needs() {
        return Set.of(Dependency.POSTGRESQL, Dependency.S3);
    }

    @Override
    public String name() {
        return "import-objects";
    }

    @Override
    public Uni<Long> purge() {
        var cutoff = Instant.now().minus(config.importObjects()).atOffset(ZoneOffset.UTC);
        return Multi.createBy()
                .repeating()
                .uni(() -> due(cutoff))
                .whilst(keys -> keys.size() == PAGE)
                .onItem()
                .transformToUniAndConcatenate(keys -> Multi.createFrom()
                        .iterable(keys)
                        .onItem()
                        .transformToUniAndConcatenate(key -> store.delete(key).replaceWith(key))
                        .collect()
                        .asList()
                        .flatMap(deleted -> markDeleted(deleted, cutoff)))
                .collect()
                .with(Collectors.summingLong(n -> n));
    }

    /** Object keys whose every import finished before the cutoff and still has its object. */
    private Uni<List<String>> due(OffsetDateTime cutoff) {
        return pool.preparedQuery("""
                        select distinct j.object_key from import_jobs j
                        where j.object_key is not null and j.object_deleted_at is null and j.status in ('completed', 'failed', 'cancelled') and j.completed_at < $1
                          and not exists (select 1 from import_jobs o where o.object_key = j.object_key
                                          and (o.status in ('queued', 'running') or o.completed_at >= $1))
                        limit $2""").execute(Tuple.of(cutoff, PAGE)).map(rs -> {
            List<String> keys = new ArrayList<>();
            for (Row r : rs) keys.add(r.getString(0));
            return keys;
        });
    }

    private Uni<Long> markDeleted(List<String> keys, OffsetDateTime cutoff) {
        if (keys.isEmpty()) return Uni.createFrom().item(0L);
        return pool.preparedQuery("""
                        update import_jobs set object_deleted_at = now()
                        where object_key = any($1) and object_deleted_at is null and completed_at < $2""")
                .execute(Tuple.of(keys.toArray(String[]::new), cutoff))
                .map(rs -> (long) keys.size());
    }
}
