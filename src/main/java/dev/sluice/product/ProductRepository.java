package dev.sluice.product;

import dev.sluice.attribute.AttributeJson;
import dev.sluice.audit.Actor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/** Product writes (Hibernate); the list and its counts are plain SQL in {@link ProductReads}. */
@ApplicationScoped
public class ProductRepository implements PanacheRepositoryBase<Product, UUID> {

    public Uni<Boolean> skuTaken(String sku, UUID exceptId) {
        return exceptId == null
                ? count("lower(sku) = lower(?1)", sku).map(n -> n > 0)
                : count("lower(sku) = lower(?1) and id <> ?2", sku, exceptId).map(n -> n > 0);
    }

    /** A product's newest recorded change that is not a dry run's, in the order its history page lists them. */
    private static final String LAST = """
            select h.version, h.kind, h.before from product_history h
            where h.product_id = cast(:id as uuid) and h.source <> 'dry-run'
            order by h.version desc, (h.kind = 'deleted') desc, h.at desc limit 1""";

    /**
     * What a restore starts from: whether the product exists, the kind of its newest recorded change,
     * and, when that is a deletion with its image, the image's SKU and attributes.
     */
    public record LastRecorded(boolean exists, String kind, String sku, Map<String, Object> attributes) {
        public boolean deletedWithImage() {
            return "deleted".equals(kind) && sku != null;
        }
    }

    public Uni<LastRecorded> lastRecorded(UUID id) {
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery("""
                                select cast(jsonb_build_object(
                                    'exists', exists (select 1 from products where id = cast(:id as uuid)),
                                    'kind', l.kind, 'sku', l.before ->> 'sku',
                                    'attributes', coalesce(l.before -> 'attributes', cast('{}' as jsonb))) as text)
                                from (select 1) x left join lateral (%s) l on true""".formatted(LAST), String.class)
                        .setParameter("id", id.toString())
                        .getSingleResult())
                .map(AttributeJson::read)
                .map(m -> new LastRecorded(
                        Boolean.TRUE.equals(m.get("exists")),
                        (String) m.get("kind"),
                        (String) m.get("sku"),
                        asMap(m.get("attributes"))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /**
     * Inserts a deleted product again from the image its deletion recorded (the API's, an undo's or a
     * delete-all's): its id, fields and creation time, at the version after the one it had, with
     * {@code attributes} (the image's, as the current definitions take them). False when a concurrent
     * write took its id or SKU first: one statement, so never a second product.
     */
    public Uni<Boolean> restoreDeleted(UUID id, String attributes) {
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery("""
                        with last as (%s),
                        ins as (
                            insert into products (id, sku, name, description, price, quantity, active, attributes, version,
                                                  created_at, updated_at)
                            select cast(:id as uuid), before ->> 'sku', before ->> 'name', before ->> 'description',
                                   cast(before ->> 'price' as numeric(12, 2)), coalesce(cast(before ->> 'quantity' as int), 0),
                                   coalesce(cast(before ->> 'active' as boolean), true), cast(cast(:attributes as text) as jsonb),
                                   version + 1, coalesce(cast(before ->> 'createdAt' as timestamptz), now()), now()
                            from last where kind = 'deleted' and before is not null
                            on conflict do nothing
                            returning 1
                        )
                        select count(*) from ins""".formatted(LAST), Long.class)
                        .setParameter("id", id.toString())
                        .setParameter("attributes", attributes)
                        .getSingleResult())
                .map(n -> n == 1);
    }

    /**
     * After a restore lost a race: whether the product is back ("exists"), or the id of the product that
     * holds its SKU now. A statement of its own, so it sees what committed during the insert.
     */
    public Uni<String> holderAfterRace(UUID id, String sku) {
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery("""
                                select coalesce((select 'exists' from products where id = cast(:id as uuid)),
                                                (select cast(x.id as text) from products x where lower(x.sku) = lower(:sku) limit 1),
                                                '')""", String.class)
                        .setParameter("id", id.toString())
                        .setParameter("sku", sku)
                        .getSingleResult());
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
