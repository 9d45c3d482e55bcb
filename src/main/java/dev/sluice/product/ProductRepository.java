package dev.sluice.product;

import dev.sluice.audit.Actor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Product writes (Hibernate); the list and its counts are plain SQL in {@link ProductReads}. */
@ApplicationScoped
public class ProductRepository implements PanacheRepositoryBase<Product, UUID> {

    public Uni<Boolean> skuTaken(String sku, UUID exceptId) {
        return exceptId == null
                ? count("lower(sku) = lower(?1)", sku).map(n -> n > 0)
                : count("lower(sku) = lower(?1) and id <> ?2", sku, exceptId).map(n -> n > 0);
    }

    /**
     * Deletes every product in one statement and, when {@code record}, keeps each one whole in its
     * history under the delete-all job {@code jobId}, numbered in batches of {@link #UNDO_BATCH} so
     * that its undo can bring them back batch by batch. Returns how many were deleted.
     */
    public Uni<Long> deleteAllRecorded(UUID jobId, boolean record) {
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery("""
                        with d as (
                            delete from products
                            returning id, version, sku, name, description, price, quantity, active, attributes, created_at
                        ), h as (
                            insert into product_history (product_id, version, kind, source, job_id, batch, sku, before)
                            select id, version, 'deleted', 'delete-all', cast(:job as uuid),
                                   ((row_number() over (order by id)) - 1) / :batch, sku,
                                   jsonb_build_object('sku', sku, 'name', name, 'description', description, 'price', price,
                                       'quantity', quantity, 'active', active, 'attributes', attributes, 'createdAt', created_at)
                            from d where :record
                        )
                        select count(*) from d""", Long.class)
                        .setParameter("job", jobId.toString())
                        .setParameter("batch", UNDO_BATCH)
                        .setParameter("record", record)
                        .getSingleResult());
    }

    /**
     * The delete-all as a job beside the imports: listed with them, and undone like one. It ran here,
     * in the request, so it is completed when it is created.
     */
    public Uni<Void> recordDeleteAllJob(UUID jobId, long deleted, Actor actor, boolean recorded) {
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery("""
                                insert into import_jobs (id, kind, status, phase, options, processed_rows, total_rows, deleted,
                                                         records_history, created_by, created_by_email, created_at,
                                                         started_at, completed_at)
                                values (cast(:id as uuid), 'delete-all', 'completed', 'write', '{}', :n, :n, :n, :recorded,
                                        cast(nullif(:actor, '') as uuid), nullif(:email, ''), now(), now(), now())""")
                        .setParameter("id", jobId.toString())
                        .setParameter("n", deleted)
                        .setParameter("recorded", recorded)
                        .setParameter(
                                "actor", actor.id() == null ? "" : actor.id().toString())
                        .setParameter("email", actor.email() == null ? "" : actor.email())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Products per history batch of a delete-all: what its undo restores per transaction, as an import's batch. */
    static final int UNDO_BATCH = 5000;

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
