package dev.sluice.history;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Set-based writes of recorded changes outside the statements that make them: a dry run's changes,
 * which must outlive the transaction its import rolls back.
 */
@ApplicationScoped
public class HistorySql {
    private final Pool pool;

    public HistorySql(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores one batch of a dry run's changes, as its write statement returned them: a JSON array of
     * {@code [productId, version, kind, sku, before, after]}.
     */
    public Uni<Void> keepDryRun(SqlClient client, UUID jobId, int batch, String changes) {
        if (changes == null) return Uni.createFrom().voidItem();
        return client.preparedQuery("""
                        insert into product_history (product_id, version, kind, source, job_id, batch, sku, before, after)
                        select (e->>0)::uuid, (e->>1)::int8, e->>2, 'dry-run', $1, $2, e->>3,
                               nullif(e->4, 'null'::jsonb), nullif(e->5, 'null'::jsonb)
                        from jsonb_array_elements($3::text::jsonb) e""")
                .execute(Tuple.of(jobId, batch, changes))
                .replaceWithVoid();
    }

    /** Forgets a job's recorded changes: a dry run starting its write phase again records them anew. */
    public Uni<Void> forget(UUID jobId) {
        return pool.preparedQuery("delete from product_history where job_id = $1")
                .execute(Tuple.of(jobId))
                .replaceWithVoid();
    }
}
