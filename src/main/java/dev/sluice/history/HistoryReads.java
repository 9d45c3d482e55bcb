package dev.sluice.history;

import dev.sluice.common.PageResponse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads of the recorded changes: a product's versions, and a job's changes in the order it made
 * them (batch by batch, then by product), paged or streamed with a keyset for the CSV.
 */
@ApplicationScoped
public class HistoryReads {
    private static final int STREAM_PAGE = 1000;
    private final Pool pool;

    public HistoryReads(Pool pool) {
        this.pool = pool;
    }

    /** A product's versions, newest first; null when it has none (and then, usually, never existed). */
    public Uni<PageResponse<HistoryEntry>> product(UUID id, int page, int size) {
        // A job's rows take their actor from the job: recording it per row would cost an import a column.
        return pool.preparedQuery("""
                        select h.version, h.at, h.kind, h.source, h.job_id,
                               coalesce(h.actor_id, j.created_by) as actor_id, coalesce(h.actor_email, j.created_by_email, u.email) as actor_email,
                               h.before, h.after, count(*) over () as total
                        from product_history h
                        left join import_jobs j on j.id = h.job_id
                        left join users u on u.id = j.created_by
                        where h.product_id = $1 and h.source <> 'dry-run'
                        order by h.version desc, h.at desc
                        limit $2 offset $3""")
                .execute(Tuple.of(id, size, (long) page * size))
                .flatMap(rs -> {
                    List<HistoryEntry> items = new ArrayList<>(rs.size());
                    long total = 0;
                    for (Row r : rs) {
                        total = r.getLong("total");
                        UUID actor = r.getUUID("actor_id");
                        String email = r.getString("actor_email");
                        items.add(new HistoryEntry(
                                r.getLong("version"),
                                r.getOffsetDateTime("at").toInstant(),
                                actor == null && email == null ? null : new HistoryEntry.Actor(actor, email),
                                r.getString("source"),
                                r.getString("kind"),
                                r.getUUID("job_id"),
                                HistoryDiff.fields(map(r, "before"), map(r, "after"))));
                    }
                    if (!items.isEmpty() || page == 0)
                        return Uni.createFrom().item(PageResponse.of(items, page, size, total, null));
                    // Past the last page: the total still says how many there are.
                    return count(id).map(n -> PageResponse.of(items, page, size, n, null));
                });
    }

    private Uni<Long> count(UUID id) {
        return pool.preparedQuery("select count(*) from product_history where product_id = $1 and source <> 'dry-run'")
                .execute(Tuple.of(id))
                .map(rs -> rs.iterator().next().getLong(0));
    }

    /** One page of a job's changes, optionally of one kind. */
    public Uni<PageResponse<ChangeView>> job(UUID jobId, ChangeKind kind, int page, int size) {
        String filter = kind == null ? "" : " and kind = $4";
        Tuple params = Tuple.of(jobId, size, (long) page * size);
        if (kind != null) params.addString(kind.wire());
        return pool.preparedQuery("select product_id, sku, kind, before, after from product_history where job_id = $1"
                        + filter + " order by batch, product_id limit $2 offset $3")
                .execute(params)
                .flatMap(rs -> {
                    List<ChangeView> items = new ArrayList<>(rs.size());
                    for (Row r : rs) items.add(change(r));
                    Tuple countParams = kind == null ? Tuple.of(jobId) : Tuple.of(jobId, kind.wire());
                    return pool.preparedQuery("select count(*) from product_history where job_id = $1"
                                    + (kind == null ? "" : " and kind = $2"))
                            .execute(countParams)
                            .map(c -> PageResponse.of(
                                    items, page, size, c.iterator().next().getLong(0), null));
                });
    }

    /** Every change of a job, in order, a page at a time (keyset): constant memory for any import. */
    public Multi<ChangeView> job(UUID jobId) {
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> new Object[] {-1, new UUID(0, 0)},
                        last -> pool.preparedQuery("""
                                        select batch, product_id, sku, kind, before, after from product_history
                                        where job_id = $1 and (batch, product_id) > ($2, $3)
                                        order by batch, product_id limit $4""")
                                .execute(Tuple.of(jobId, last[0], last[1], STREAM_PAGE))
                                .map(rs -> {
                                    List<ChangeView> page = new ArrayList<>(rs.size());
                                    for (Row r : rs) {
                                        page.add(change(r));
                                        last[0] = r.getInteger("batch");
                                        last[1] = r.getUUID("product_id");
                                    }
                                    return page;
                                }))
                .whilst(page -> page.size() == STREAM_PAGE)
                .onItem()
                .transformToIterable(page -> page);
    }

    private static ChangeView change(Row r) {
        return new ChangeView(
                r.getUUID("product_id"), r.getString("sku"), r.getString("kind"), map(r, "before"), map(r, "after"));
    }

    private static Map<String, Object> map(Row r, String column) {
        Object v = r.getValue(column);
        return v instanceof JsonObject o ? plain(o) : null;
    }

    /** Nested values as plain maps, however the driver decoded them (Jackson and the diff read maps). */
    private static Map<String, Object> plain(JsonObject o) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o.getMap().entrySet()) {
            Object v = e.getValue();
            if (v instanceof JsonObject nested) v = plain(nested);
            else if (v instanceof Map<?, ?> m) v = plain(new JsonObject(cast(m)));
            out.put(e.getKey(), v);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
