package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Writes one batch with one set-based statement. The rows travel as arrays; rows that a later row of
 * the same file supersedes (the scan's look-ahead in {@code import_last}) are dropped first, so each
 * SKU is written once per import, with its last valid row. Only the columns the file has are set: a
 * column absent from the file keeps its stored value. A row identical, in those columns, to what is
 * stored is not written. The statement also enqueues the batch's products.imported webhook event and
 * reports the counts in a single result row.
 * <p>
 * With a name column the statement is an upsert on the lower(sku) index. Without one, no product can
 * be created, so it is an update of the SKUs that exist, and the lines of the others come back to be
 * refused (PostgreSQL checks NOT NULL before it looks for a conflict, so an upsert can't do this).
 */
@ApplicationScoped
public class ProductBatchWriter {
    /** The optional fields, their SQL cast from the text arrays, and their parameter. */
    private static final Map<String, String> FIELD_SQL = Map.of(
            "description", "description", "price", "price::numeric(12,2) as price", "quantity", "quantity",
            "active", "active");
    private static final List<String> OPTIONAL = List.of("description", "price", "quantity", "active");

    private final Map<String, String> statements = new ConcurrentHashMap<>();

    /** What one batch did; {@code refusedLines} are rows for unknown SKUs in a file without names. */
    public record Written(BatchCounts counts, List<Long> refusedLines) {}

    public Uni<Written> write(SqlClient client, UUID jobId, ProductColumns rows, boolean lookAhead) {
        if (rows.size() == 0) return Uni.createFrom().item(new Written(BatchCounts.ZERO, List.of()));
        List<String> present = rows.present();
        String sql = statements.computeIfAbsent(present + "/" + lookAhead, k -> statement(present, lookAhead));
        Tuple params = Tuple.tuple(List.of(rows.sku(), rows.name(), rows.description(), rows.price(), rows.quantity(),
                rows.active(), rows.ids(), jobId, rows.lines()));
        return client.preparedQuery(sql).execute(params).map(rs -> {
            Row row = rs.iterator().next();
            Long[] refused = row.getArrayOfLongs("refused_lines");
            return new Written(counts(row), refused == null ? List.of() : List.of(refused));
        });
    }

    private static BatchCounts counts(Row row) {
        long total = row.getLong("total"), live = row.getLong("live"), refused = row.getLong("refused");
        long created = row.getLong("created"), updated = row.getLong("updated");
        return new BatchCounts(created, updated, live - created - updated - refused, total - live, refused);
    }

    /** The statement for a file with these columns; {@code lookAhead} false when the file repeats no SKU. */
    static String statement(List<String> present, boolean lookAhead) {
        List<String> optional = OPTIONAL.stream().filter(present::contains).toList();
        boolean named = present.contains("name");
        String input = """
                with input as (
                    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::bool[], $7::uuid[],
                                         $9::int8[]) as t(sku, name, description, price, quantity, active, id, line)
                ),
                live as (
                    select sku, name, %s id, line from input i
                    %s
                ),
                """.formatted(optional.stream().map(f -> FIELD_SQL.get(f) + ",").collect(Collectors.joining(" ")),
                lookAhead ? """
                        -- Superseded: a later row of this file has the same SKU.
                        where not exists (select 1 from import_last l where l.job_id = $8 and l.k = lower(i.sku) and l.line > i.line)"""
                        : "");
        List<String> compared = new ArrayList<>();
        compared.add("sku");
        if (named) compared.add("name");
        compared.addAll(optional);
        String set = compared.stream().map(f -> f + " = w." + f).collect(Collectors.joining(", "));
        String stored = compared.stream().map(f -> "p." + f).collect(Collectors.joining(", "));
        String given = compared.stream().map(f -> "w." + f).collect(Collectors.joining(", "));
        String write = named ? """
                up as (
                    insert into products as p (id, %1$s, last_import_id)
                    select id, %1$s, $8 from live
                    on conflict (lower(sku)) do update set
                        %2$s, last_import_id = excluded.last_import_id, version = p.version + 1, updated_at = now()
                    where (%3$s) is distinct from (%4$s)
                    returning p.sku, (xmax = 0) as inserted
                ),
                refused as (select null::int8 as line where false),
                """.formatted(String.join(", ", compared), set.replace("w.", "excluded."), stored,
                given.replace("w.", "excluded."))
                : """
                up as (
                    update products p set %1$s, last_import_id = $8, version = p.version + 1, updated_at = now()
                    from live w
                    where lower(p.sku) = lower(w.sku) and (%2$s) is distinct from (%3$s)
                    returning p.sku, false as inserted
                ),
                -- Without a name column a product can't be created: these rows are refused.
                refused as (select w.line from live w where not exists (select 1 from products p where lower(p.sku) = lower(w.sku))),
                """.formatted(set, stored, given);
        return input + write + """
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
                       (select count(*) from live) as live,
                       (select count(*) from refused) as refused,
                       (select array_agg(line order by line) from refused) as refused_lines,
                       count(*) filter (where up.inserted) as created,
                       count(*) filter (where not up.inserted) as updated
                from up
                """;
    }
}
