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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

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

    /**
     * A product's versions, newest first, a page of them. All of its rows are read (a product has tens
     * of versions, not millions): its creation by an import is rebuilt from the later ones.
     */
    public Uni<PageResponse<HistoryEntry>> product(UUID id, int page, int size) {
        // A job's rows take their actor from the job: recording it per row would cost an import a column.
        return pool.preparedQuery("""
                        select h.product_id, h.version, h.at, h.kind, h.source, h.job_id, h.sku,
                               coalesce(h.actor_id, j.created_by) as actor_id,
                               coalesce(h.actor_email, j.created_by_email, u.email) as actor_email,
                               h.before, h.after
                        from product_history h
                        left join import_jobs j on j.id = h.job_id
                        left join users u on u.id = j.created_by
                        where h.product_id = $1 and h.source <> 'dry-run'
                        order by h.version desc, (h.kind = 'deleted') desc, h.at desc""").execute(Tuple.of(id)).flatMap(rs -> {
            List<Row> rows = new ArrayList<>(rs.size());
            rs.forEach(rows::add);
            List<Recorded> recorded = rows.stream().map(HistoryReads::recorded).toList();
            // Every change of the product is in hand: only its current image is read for the rebuild.
            List<CreatedImages.Change> changes =
                    recorded.stream().map(Recorded::change).toList();
            return withCreatedImages(recorded, ids -> Uni.createFrom().item(Map.of(id, changes)))
                    .map(filled -> {
                        List<HistoryEntry> items = new ArrayList<>();
                        int from = Math.min(filled.size(), page * size), to = Math.min(filled.size(), from + size);
                        for (int i = from; i < to; i++) {
                            Row r = rows.get(i);
                            Recorded c = filled.get(i);
                            UUID actor = r.getUUID("actor_id");
                            String email = r.getString("actor_email");
                            items.add(new HistoryEntry(
                                    c.version(),
                                    r.getOffsetDateTime("at").toInstant(),
                                    actor == null && email == null ? null : new HistoryEntry.Actor(actor, email),
                                    r.getString("source"),
                                    c.kind(),
                                    r.getUUID("job_id"),
                                    HistoryDiff.fields(c.before(), c.after())));
                        }
                        return PageResponse.of(items, page, size, filled.size(), null);
                    });
        });
    }

    /** One page of a job's changes, optionally of one kind. */
    public Uni<PageResponse<ChangeView>> job(UUID jobId, ChangeKind kind, int page, int size) {
        String filter = kind == null ? "" : " and kind = $4";
        Tuple params = Tuple.of(jobId, size, (long) page * size);
        if (kind != null) params.addString(kind.wire());
        return pool.preparedQuery(
                        "select product_id, version, sku, kind, before, after from product_history where job_id = $1"
                                + filter + " order by batch, product_id limit $2 offset $3")
                .execute(params)
                .flatMap(rs -> {
                    List<Recorded> items = new ArrayList<>(rs.size());
                    for (Row r : rs) items.add(recorded(r));
                    Tuple countParams = kind == null ? Tuple.of(jobId) : Tuple.of(jobId, kind.wire());
                    return withCreatedImages(items)
                            .flatMap(filled -> pool.preparedQuery(
                                            "select count(*) from product_history where job_id = $1"
                                                    + (kind == null ? "" : " and kind = $2"))
                                    .execute(countParams)
                                    .map(c -> PageResponse.of(
                                            filled.stream().map(Recorded::view).toList(),
                                            page,
                                            size,
                                            c.iterator().next().getLong(0),
                                            null)));
                });
    }

    /** Every change of a job, in order, a page at a time (keyset): constant memory for any import. */
    public Multi<ChangeView> job(UUID jobId) {
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> new Object[] {-1, new UUID(0, 0)},
                        last -> pool.preparedQuery("""
                                        select batch, product_id, version, sku, kind, before, after from product_history
                                        where job_id = $1 and (batch, product_id) > ($2, $3)
                                        order by batch, product_id limit $4""")
                                .execute(Tuple.of(jobId, last[0], last[1], STREAM_PAGE))
                                .flatMap(rs -> {
                                    List<Recorded> page = new ArrayList<>(rs.size());
                                    for (Row r : rs) {
                                        page.add(recorded(r));
                                        last[0] = r.getInteger("batch");
                                        last[1] = r.getUUID("product_id");
                                    }
                                    return withCreatedImages(page)
                                            .map(filled -> filled.stream()
                                                    .map(Recorded::view)
                                                    .toList());
                                }))
                .whilst(page -> page.size() == STREAM_PAGE)
                .onItem()
                .transformToIterable(page -> page);
    }

    /** A recorded change as read. */
    private record Recorded(
            UUID productId,
            long version,
            String sku,
            String kind,
            Map<String, Object> before,
            Map<String, Object> after) {
        CreatedImages.Change change() {
            return new CreatedImages.Change(version, kind, before, after);
        }

        ChangeView view() {
            return new ChangeView(productId, sku, kind, before, after);
        }

        /** A creation by an import, recorded without its image. */
        boolean imageless() {
            return after == null && before == null && ChangeKind.CREATED.wire().equals(kind);
        }

        Recorded withAfter(Map<String, Object> image) {
            return new Recorded(productId, version, sku, kind, before, image);
        }
    }

    private static CreatedImages.Change change(Row r) {
        return new CreatedImages.Change(r.getLong("version"), r.getString("kind"), map(r, "before"), map(r, "after"));
    }

    private static Recorded recorded(Row r) {
        return new Recorded(
                r.getUUID("product_id"),
                r.getLong("version"),
                r.getString("sku"),
                r.getString("kind"),
                map(r, "before"),
                map(r, "after"));
    }

    /** The changes, with each creation an import recorded without its image rebuilt ({@link CreatedImages}). */
    private Uni<List<Recorded>> withCreatedImages(List<Recorded> changes) {
        return withCreatedImages(changes, this::laterChanges);
    }

    /** Each product's recorded changes, newest first (what {@link CreatedImages} takes back). */
    private Uni<Map<UUID, List<CreatedImages.Change>>> laterChanges(UUID[] ids) {
        return pool.preparedQuery("""
                        select product_id, version, kind, before, after from product_history
                        where product_id = any($1) and source <> 'dry-run'
                        order by product_id, version desc, (kind = 'deleted') desc""").execute(Tuple.of(ids)).map(rs -> {
            Map<UUID, List<CreatedImages.Change>> out = new HashMap<>();
            for (Row r : rs)
                out.computeIfAbsent(r.getUUID("product_id"), k -> new ArrayList<>())
                        .add(change(r));
            return out;
        });
    }

    private Uni<List<Recorded>> withCreatedImages(
            List<Recorded> changes, Function<UUID[], Uni<Map<UUID, List<CreatedImages.Change>>>> history) {
        UUID[] ids = changes.stream()
                .filter(Recorded::imageless)
                .map(Recorded::productId)
                .distinct()
                .toArray(UUID[]::new);
        if (ids.length == 0) return Uni.createFrom().item(changes);
        Uni<Map<UUID, Map<String, Object>>> now = pool.preparedQuery("""
                        select id, jsonb_build_object('sku', sku, 'name', name, 'description', description, 'price', price,
                            'quantity', quantity, 'active', active, 'attributes', attributes) as image
                        from products where id = any($1)""")
                .execute(Tuple.of(ids))
                .map(rs -> {
                    Map<UUID, Map<String, Object>> out = new HashMap<>();
                    for (Row r : rs) out.put(r.getUUID("id"), map(r, "image"));
                    return out;
                });
        Uni<Map<UUID, List<CreatedImages.Change>>> later = history.apply(ids);
        return Uni.combine()
                .all()
                .unis(now, later)
                .asTuple()
                .map(t -> changes.stream()
                        .map(c -> !c.imageless()
                                ? c
                                : c.withAfter(CreatedImages.at(
                                        t.getItem1().get(c.productId()),
                                        CreatedImages.after(
                                                c.version(), t.getItem2().getOrDefault(c.productId(), List.of())))))
                        .toList());
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
