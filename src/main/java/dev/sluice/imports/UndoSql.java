package dev.sluice.imports;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The undo of a job, one of its batches at a time, in one set-based statement per batch. For each
 * change the job recorded in that batch:
 * <ul>
 *   <li>a product it created (no before) is deleted;
 *   <li>a product it deleted (no after; its before is the whole product) is inserted again, with its
 *       id, its creation time and the version after the one it had;
 *   <li>a product it changed gets the changed fields' before-values back.
 * </ul>
 * A product changed since (its version is no longer the one the job left) is a conflict: left as it
 * is, unless {@code force}, and listed in the undo's error report with who changed it last and when.
 * So is a product deleted since, and one whose SKU another product has taken meanwhile (even with
 * force: SKUs stay unique). The undo records its own changes like any writer (kinds deleted and
 * restored), so it can be undone in turn: that redoes the job. Each batch's products.restored webhook
 * event is enqueued in the same statement.
 * <p>
 * The conflict check is in the statement's snapshot; a write committed after it and before the
 * delete or update reaches the row is caught too: the version condition is re-checked on the newest
 * row, and a product left alone that way counts as a conflict as well. Counts add up: every change
 * of the batch is deleted, restored or a conflict.
 */
@ApplicationScoped
public class UndoSql {
    /** Conflicts are listed in the error report numbered per batch: batch × this + their rank. */
    static final long LINES_PER_BATCH = 1_000_000L;

    private final Pool pool;
    private final String recorded;
    private final String unrecorded;

    public UndoSql(Pool pool) {
        this.pool = pool;
        this.recorded = statement(true);
        this.unrecorded = statement(false);
    }

    /** One batch of the target's changes: its number in the target's history, and how many changes it holds. */
    public record Batch(int batch, int rows) {}

    /**
     * The batches of a job's recorded changes from {@code from} on, in order, a page at a time. A
     * batch where an import changed nothing has no rows, so the numbers may skip.
     */
    public Multi<Batch> batches(UUID target, int from) {
        int page = 200;
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> new int[] {from},
                        next -> pool.preparedQuery("""
                                        select batch, count(*) as n from product_history
                                        where job_id = $1 and batch >= $2
                                        group by batch order by batch limit $3""")
                                .execute(Tuple.of(target, next[0], page))
                                .map(rs -> {
                                    List<Batch> out = new ArrayList<>(rs.size());
                                    for (Row r : rs) out.add(new Batch(r.getInteger("batch"), r.getInteger("n")));
                                    if (!out.isEmpty()) next[0] = out.getLast().batch() + 1;
                                    return out;
                                }))
                .whilst(list -> list.size() == page)
                .onItem()
                .transformToIterable(list -> list);
    }

    /** How many changes a job recorded: an undo's totalRows. */
    public Uni<Long> changes(UUID target) {
        return pool.preparedQuery("select count(*) from product_history where job_id = $1")
                .execute(Tuple.of(target))
                .map(rs -> rs.iterator().next().getLong(0));
    }

    /** The number of a job's last batch of recorded changes, -1 when it has none: one probe of its index. */
    public Uni<Integer> lastBatch(UUID target) {
        return pool.preparedQuery("select max(batch) from product_history where job_id = $1")
                .execute(Tuple.of(target))
                .map(rs -> {
                    Integer last = rs.iterator().next().getInteger(0);
                    return last == null ? -1 : last;
                });
    }

    /** Undoes one batch of {@code target}'s changes as the undo job {@code job}; returns what it did. */
    public Uni<BatchCounts> undo(SqlClient client, UUID job, UUID target, int batch, boolean force, boolean record) {
        return client.preparedQuery(record ? recorded : unrecorded)
                .execute(Tuple.of(job, target, batch, force))
                .map(rs -> {
                    Row r = rs.iterator().next();
                    return BatchCounts.undo(r.getLong("deleted"), r.getLong("restored"), r.getLong("conflicts"));
                });
    }

    /** $1 the undo job, $2 the job it undoes, $3 the batch, $4 force. */
    static String statement(boolean record) {
        String cur = "c.cur_";
        String restoredDiff =
                "array(select jsonb_object_keys(u.cur_attributes) union select jsonb_object_keys(u.attributes))";
        String history = !record
                ? ""
                : """
                hist as (
                    insert into product_history (product_id, version, kind, source, job_id, batch, sku, before, after)
                    select d.id, d.version, 'deleted', 'undo', $1, $3, d.sku,
                           %1$s || jsonb_build_object('createdAt', d.created_at), null
                    from del d
                    union all
                    select u.id, u.version, 'restored', 'undo', $1, $3, u.sku, %2$s, %3$s
                    from upd u
                    union all
                    select i.id, i.version, 'restored', 'undo', $1, $3, i.sku, null, %4$s
                    from ins i
                ),
                """.formatted(
                        HistoryColumns.image("d"),
                        HistoryColumns.diff(true, f -> "u.cur_" + f, f -> "u." + f, HistoryColumns.CORE, restoredDiff),
                        HistoryColumns.diff(false, f -> "u.cur_" + f, f -> "u." + f, HistoryColumns.CORE, restoredDiff),
                        HistoryColumns.image("i"));
        String returnedOld =
                String.join(", ", HistoryColumns.CORE.stream().map(f -> cur + f).toList()) + ", c.cur_attributes";
        return """
                with h as (
                    select product_id, version, sku, before, after
                    from product_history where job_id = $2 and batch = $3
                ),
                c as (
                    select h.product_id, h.version, h.sku, h.before, h.after,
                           p.version as cur_version, p.sku as cur_sku, p.name as cur_name, p.description as cur_description,
                           p.price as cur_price, p.quantity as cur_quantity, p.active as cur_active,
                           p.attributes as cur_attributes, t.id as taken_by,
                           case
                               -- The job created it (or brought it back): delete it.
                               when h.before is null then
                                   case when p.id is null then 'gone'
                                        when p.version = h.version or $4 then 'delete'
                                        else 'changed' end
                               when p.id is null and h.after is not null then 'gone'
                               -- The job deleted it: insert it again from its image, unless its SKU is taken.
                               when p.id is null then case when t.id is null then 'insert' else 'taken' end
                               when h.after is null and not $4 then 'changed'
                               when p.version <> h.version and not $4 then 'changed'
                               when t.id is not null then 'taken'
                               -- The job changed it: set the changed fields back.
                               else 'set'
                           end as action
                    from h
                    left join lateral (select * from products x where x.id = h.product_id) p on true
                    -- Another product holding the SKU to restore (a letter-case change is one's own).
                    left join lateral (select x.id from products x
                                       where h.before ? 'sku' and lower(x.sku) = lower(h.before ->> 'sku')
                                         and x.id is distinct from p.id limit 1) t on true
                ),
                del as (
                    delete from products p using c
                    where c.action = 'delete' and p.id = c.product_id and p.version = c.cur_version
                    returning p.id, p.version, p.sku, p.name, p.description, p.price, p.quantity, p.active,
                              p.attributes, p.created_at
                ),
                upd as (
                    update products p set
                        sku = case when c.before ? 'sku' then c.before ->> 'sku' else p.sku end,
                        name = case when c.before ? 'name' then c.before ->> 'name' else p.name end,
                        description = case when c.before ? 'description' then c.before ->> 'description' else p.description end,
                        price = case when c.before ? 'price' then (c.before ->> 'price')::numeric(12, 2) else p.price end,
                        quantity = case when c.before ? 'quantity' then (c.before ->> 'quantity')::int else p.quantity end,
                        active = case when c.before ? 'active' then (c.before ->> 'active')::boolean else p.active end,
                        -- A whole image replaces the attributes; a change sets back the keys it changed
                        -- (null: the product had no value).
                        attributes = case
                            when c.after is null then coalesce(c.before -> 'attributes', '{}'::jsonb)
                            when c.before ? 'attributes' then (p.attributes - array(select jsonb_object_keys(c.before -> 'attributes')))
                                                              || jsonb_strip_nulls(c.before -> 'attributes')
                            else p.attributes end,
                        version = p.version + 1, updated_at = now(), last_import_id = $1
                    from c
                    where c.action = 'set' and p.id = c.product_id and p.version = c.cur_version
                    returning p.id, p.version, p.sku, p.name, p.description, p.price, p.quantity, p.active, p.attributes,
                              %2$s
                ),
                ins as (
                    insert into products (id, sku, name, description, price, quantity, active, attributes, version,
                                          created_at, updated_at, last_import_id)
                    select c.product_id, c.before ->> 'sku', c.before ->> 'name', c.before ->> 'description',
                           (c.before ->> 'price')::numeric(12, 2), coalesce((c.before ->> 'quantity')::int, 0),
                           coalesce((c.before ->> 'active')::boolean, true), coalesce(c.before -> 'attributes', '{}'::jsonb),
                           c.version + 1, coalesce((c.before ->> 'createdAt')::timestamptz, now()), now(), $1
                    from c where c.action = 'insert'
                    -- Taken meanwhile by a concurrent write: a conflict, counted below.
                    on conflict do nothing
                    returning id, version, sku, name, description, price, quantity, active, attributes
                ),
                %1$s
                conflicted as (
                    select c.product_id, c.sku, c.action, c.version, c.cur_version, coalesce(c.taken_by, c.product_id) as who,
                           row_number() over (order by c.product_id) as n
                    from c
                    where c.action in ('gone', 'changed', 'taken')
                       or (c.action = 'delete' and c.product_id not in (select id from del))
                       or (c.action = 'set' and c.product_id not in (select id from upd))
                       or (c.action = 'insert' and c.product_id not in (select id from ins))
                ),
                listed as (
                    -- The undo's error report: each conflict with who changed the product last, and when.
                    insert into import_rejects (job_id, line, raw, errors)
                    select $1, $3::int8 * %3$d + x.n, jsonb_build_array(x.product_id::text, x.sku),
                           jsonb_build_array(jsonb_build_object(
                               'column', 'sku', 'value', x.sku,
                               'reason', case
                                   when x.action = 'gone' then 'deleted since'
                                   when x.action = 'taken' then 'its SKU is now used by another product (' || x.who || ')'
                                   when x.action = 'changed' then 'changed since (version ' || x.cur_version || ', was ' || x.version || ')'
                                   else 'changed while the undo ran' end,
                               'productId', x.product_id, 'changedAt', l.at,
                               'changedBy', coalesce(l.actor_email, j.created_by_email, u.email), 'changeSource', l.source,
                               'changeJob', l.job_id))
                    from conflicted x
                    left join lateral (select * from product_history y where y.product_id = x.who and y.source <> 'dry-run'
                                       order by y.version desc, y.at desc limit 1) l on true
                    left join import_jobs j on j.id = l.job_id
                    left join users u on u.id = j.created_by
                    on conflict (job_id, line) do nothing
                    returning 1
                ),
                announced as (
                    -- products.restored: one event per batch, shaped like products.imported.
                    select webhook_enqueue('products.restored', jsonb_build_object('importId', $1::uuid, 'undoOf', $2::uuid,
                            'restoredCount', (select count(*) from upd) + (select count(*) from ins),
                            'deletedCount', (select count(*) from del),
                            'restored', (select coalesce(jsonb_agg(sku), '[]'::jsonb)
                                         from (select sku from upd union all select sku from ins) r),
                            'deleted', (select coalesce(jsonb_agg(sku), '[]'::jsonb) from del))) as deliveries
                    where exists (select 1 from webhook_endpoints e where e.active and e.disabled_at is null
                                  and e.events && array['products.restored', '*'])
                      and (exists (select 1 from del) or exists (select 1 from upd) or exists (select 1 from ins))
                )
                select (select count(*) from h) as changes, (select count(*) from del) as deleted,
                       (select count(*) from upd) + (select count(*) from ins) as restored,
                       (select count(*) from conflicted) as conflicts, (select count(*) from listed) as listed,
                       (select count(*) from announced) as announced
                """.formatted(history, returnedOld, LINES_PER_BATCH);
    }
}
