package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Writes one batch with one set-based statement: the rows travel as arrays, PostgreSQL dedupes
 * them (last row per lower(sku) wins), upserts on the lower(sku) index, skips rows identical to
 * what is stored, enqueues the batch's products.imported webhook event, and reports the counts in
 * a single result row.
 */
@ApplicationScoped
public class ProductBatchWriter {

    // $1..$6 columns, $7 ids (UUIDv7 from the app: time-ordered keys keep inserts at the index's edge), $8 job id.
    static final String UPSERT = """
            with input as (
                select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::bool[], $7::uuid[])
                    with ordinality as t(sku, name, description, price, quantity, active, id, ord)
            ),
            dedup as (
                select distinct on (lower(sku)) sku, name, description, price::numeric(12,2) as price, quantity, active, id
                from input order by lower(sku), ord desc
            ),
            prior as (
                select lower(p.sku) as k, p.last_import_id is not distinct from $8 as repeat
                from products p where lower(p.sku) in (select lower(sku) from dedup)
            ),
            up as (
                insert into products as p (id, sku, name, description, price, quantity, active, last_import_id)
                select id, sku, name, description, price, quantity, active, $8 from dedup
                on conflict (lower(sku)) do update set
                    sku = excluded.sku, name = excluded.name, description = excluded.description,
                    price = excluded.price, quantity = excluded.quantity, active = excluded.active,
                    last_import_id = excluded.last_import_id, version = p.version + 1, updated_at = now()
                where (p.sku, p.name, p.description, p.price, p.quantity, p.active)
                      is distinct from (excluded.sku, excluded.name, excluded.description, excluded.price, excluded.quantity, excluded.active)
                returning p.sku, lower(p.sku) as k, (xmax = 0) as inserted
            ),
            announced as (
                -- products.imported: one event per batch listing what it wrote, in the batch's transaction.
                -- The one-time filter skips the aggregation when no endpoint listens.
                select webhook_enqueue('products.imported', jsonb_build_object('importId', $8::uuid,
                        'createdCount', count(*) filter (where inserted), 'updatedCount', count(*) filter (where not inserted),
                        'created', coalesce(jsonb_agg(sku) filter (where inserted), '[]'::jsonb),
                        'updated', coalesce(jsonb_agg(sku) filter (where not inserted), '[]'::jsonb))) as deliveries
                from up
                where exists (select 1 from webhook_endpoints e where e.active and e.disabled_at is null
                              and e.events && array['products.imported', '*'])
                having count(*) > 0
            )
            select (select count(*) from announced) as announced, (select count(*) from input) as total,
                   (select count(*) from dedup) as distinct_rows,
                   (select count(*) from prior where repeat) as repeats,
                   count(*) filter (where up.inserted) as created,
                   count(*) filter (where not up.inserted and not coalesce(prior.repeat, false)) as updated
            from up left join prior on prior.k = up.k
            """;

    public Uni<BatchCounts> write(SqlClient client, UUID jobId, ProductColumns rows) {
        if (rows.size() == 0) return Uni.createFrom().item(BatchCounts.ZERO);
        Tuple params = Tuple.tuple(List.of(rows.sku(), rows.name(), rows.description(), rows.price(), rows.quantity(),
                rows.active(), rows.ids(), jobId));
        return client.preparedQuery(UPSERT).execute(params).map(rs -> {
            Row row = rs.iterator().next();
            long total = row.getLong("total"), distinct = row.getLong("distinct_rows"), repeats = row.getLong("repeats");
            long created = row.getLong("created"), updated = row.getLong("updated");
            long duplicates = (total - distinct) + repeats;
            long unchanged = distinct - created - updated - repeats;
            return new BatchCounts(created, updated, unchanged, duplicates, 0);
        });
    }
}
