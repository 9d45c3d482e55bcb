package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Merges one staged batch into the catalog with one set-based statement, inside PostgreSQL: the rows
 * never travel again. Rows that a later row of the same file supersedes (the scan's look-ahead in
 * {@code import_last}) are dropped first, so each SKU is written once per import, with its last valid
 * row. Only the columns the file has are set: a column absent from the file keeps its stored value. A
 * row identical, in those columns, to what is stored is not written. Attributes count as columns:
 * the keys of the file's attribute columns are replaced by the row's values (an empty cell clears
 * one), the others are kept, and a row whose merged attributes equal the stored ones is unchanged. The statement also enqueues the
 * batch's products.imported webhook event and reports the counts in a single result row.
 * <p>
 * With a name column the statement is an upsert on the lower(sku) index, fed in key order (sorted
 * inserts keep the b-tree and trigram indexes' pages hot). Without one, no product can be created, so
 * it is an update of the SKUs that exist, and the others come back to be refused (PostgreSQL checks
 * NOT NULL before it looks for a conflict, so an upsert can't do this).
 * <p>
 * With history on, the same statement records each product it created (whole) and each it updated
 * (the changed fields' before and after) in {@code product_history}: the before-values are read from
 * {@code products} by id in another part of the statement, which sees the table as it was when the
 * statement started. Unchanged rows write nothing, so a re-import records nothing. A dry run's
 * statement returns its changes too: its transaction is rolled back, so they are kept outside it.
 */
@ApplicationScoped
public class ProductBatchWriter {
    private static final List<String> OPTIONAL = List.of("description", "price", "quantity", "active");

    private final Map<String, String> statements = new ConcurrentHashMap<>();

    /** Whether and how a batch records its changes. */
    public enum History {
        OFF,
        /** In product_history, in the batch's transaction. */
        RECORD,
        /** Recorded as a dry run's, and returned (its transaction is rolled back). */
        DRY_RUN
    }

    /**
     * What one batch did; {@code refused} are rows for unknown SKUs in a file without names, with their
     * cells as JSON; {@code changes} a dry run's recorded changes (JSON), else null.
     */
    public record Written(
            BatchCounts counts,
            long staged,
            List<Long> refusedLines,
            List<String> refusedRaw,
            String changes,
            long raced) {}

    /** {@code required}: the attributes a new product must have a value for; rows that would create one without are refused. */
    public Uni<Written> write(
            SqlClient client,
            UUID jobId,
            int batch,
            List<String> present,
            List<String> required,
            boolean lookAhead,
            History history) {
        String sql = statements.computeIfAbsent(
                present + "/" + required + "/" + lookAhead + "/" + history,
                k -> statement(present, lookAhead, required, history));
        return client.preparedQuery(sql).execute(Tuple.of(jobId, batch)).map(rs -> {
            Row row = rs.iterator().next();
            long staged = row.getLong("staged"), live = row.getLong("live"), refused = row.getLong("refused");
            long created = row.getLong("created"), updated = row.getLong("updated");
            Long[] lines = row.getArrayOfLongs("refused_lines");
            String[] raw = row.getArrayOfStrings("refused_raw");
            BatchCounts counts =
                    new BatchCounts(created, updated, live - created - updated - refused, staged - live, refused);
            return new Written(
                    counts,
                    staged,
                    lines == null ? List.of() : List.of(lines),
                    raw == null ? List.of() : Arrays.asList(raw),
                    history == History.DRY_RUN ? row.getString("changes") : null,
                    row.getLong("raced"));
        });
    }

    /** The statement for a file with these columns; {@code lookAhead} false when the file repeats no SKU. */
    static String statement(List<String> present, boolean lookAhead) {
        return statement(present, lookAhead, List.of(), History.OFF);
    }

    static String statement(List<String> present, boolean lookAhead, List<String> required, History history) {
        List<String> optional = OPTIONAL.stream().filter(present::contains).toList();
        boolean named = present.contains("name");
        // The file's attribute columns: their keys are replaced with the row's values (an empty cell has
        // no key, so it clears). Codes match [a-z][a-z0-9_]*, so they are safe to write as literals.
        List<String> codes = ColumnPlan.attributeCodes(present);
        String replaced = codes.isEmpty()
                ? null
                : "array[" + codes.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", ")) + "]::text[]";
        String staged = """
                with staged as (
                    select s.k, s.line, s.id, s.sku, s.name, s.description, s.price, s.quantity, s.active, s.raw, s.attrs
                    from import_rows s where s.job_id = $1 and s.batch = $2
                ),
                live as (
                    select * from staged s
                    %s
                ),
                """.formatted(lookAhead ? """
                        -- Superseded: a later row of this file has the same SKU.
                        where not exists (select 1 from import_last l where l.job_id = $1 and l.k = s.k and l.line > s.line)""" : "");
        List<String> compared = new ArrayList<>();
        compared.add("sku");
        if (named) compared.add("name");
        compared.addAll(optional);
        List<String> stored =
                new ArrayList<>(compared.stream().map(f -> "p." + f).toList());
        if (replaced != null) stored.add("p.attributes");
        String write;
        if (named) {
            List<String> columns = new ArrayList<>(compared), values = new ArrayList<>(compared);
            List<String> set = new ArrayList<>(
                    compared.stream().map(f -> f + " = excluded." + f).toList());
            List<String> incoming =
                    new ArrayList<>(compared.stream().map(f -> "excluded." + f).toList());
            if (replaced != null) {
                columns.add("attributes");
                values.add("coalesce(attrs, '{}')");
                set.add("attributes = (p.attributes - " + replaced + ") || excluded.attributes");
                incoming.add("(p.attributes - " + replaced + ") || excluded.attributes");
            }
            // Required attributes: a row that would create a product without a value for each is refused.
            String refused = required.isEmpty()
                    ? "refused as (select null::int8 as line, null::text as raw where false),\n"
                    : """
                refused as (select w.line, w.raw from live w where not (coalesce(w.attrs, '{}') ?& array[%s]::text[])
                            and not exists (select 1 from products p where lower(p.sku) = w.k)),
                """.formatted(required.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", ")));
            write = refused
                    + """
                up as (
                    insert into products as p (id, %1$s, last_import_id)
                    select id, %2$s, $1 from live %6$s order by k
                    on conflict (lower(sku)) do update set
                        %3$s, last_import_id = excluded.last_import_id, version = p.version + 1, updated_at = now()
                    where (%4$s) is distinct from (%5$s)
                    returning %7$s, (xmax = 0) as inserted
                ),
                """.formatted(
                                    String.join(", ", columns),
                                    String.join(", ", values),
                                    String.join(", ", set),
                                    String.join(", ", stored),
                                    String.join(", ", incoming),
                                    required.isEmpty()
                                            ? ""
                                            : "where not exists (select 1 from refused r where r.line = live.line)",
                                    returned(history));
        } else {
            List<String> set =
                    new ArrayList<>(compared.stream().map(f -> f + " = w." + f).toList());
            List<String> incoming =
                    new ArrayList<>(compared.stream().map(f -> "w." + f).toList());
            if (replaced != null) {
                set.add("attributes = (p.attributes - " + replaced + ") || w.attrs");
                incoming.add("(p.attributes - " + replaced + ") || w.attrs");
            }
            write = """
                up as (
                    update products p set %1$s, last_import_id = $1, version = p.version + 1, updated_at = now()
                    from live w
                    where lower(p.sku) = w.k and (%2$s) is distinct from (%3$s)
                    returning %4$s, false as inserted
                ),
                -- Without a name column a product can't be created: these rows are refused.
                refused as (select w.line, w.raw from live w where not exists (select 1 from products p where lower(p.sku) = w.k)),
                """.formatted(
                    String.join(", ", set), String.join(", ", stored), String.join(", ", incoming), returned(history));
        }
        return staged
                + write
                + recorded(history, compared, replaced)
                + """
                announced as (
                    -- products.imported: one event per batch listing what it wrote, in the batch's transaction.
                    -- The one-time filter skips the aggregation when no endpoint listens.
                    select webhook_enqueue('products.imported', jsonb_build_object('importId', $1::uuid,
                            'createdCount', count(*) filter (where inserted), 'updatedCount', count(*) filter (where not inserted),
                            'created', coalesce(jsonb_agg(sku) filter (where inserted), '[]'::jsonb),
                            'updated', coalesce(jsonb_agg(sku) filter (where not inserted), '[]'::jsonb))) as deliveries
                    from up
                    where exists (select 1 from webhook_endpoints e where e.active and e.disabled_at is null
                                  and e.events && array['products.imported', '*'])
                    having count(*) > 0
                )
                select (select count(*) from announced) as announced, (select count(*) from staged) as staged,
                       (select count(*) from live) as live,
                       (select count(*) from refused) as refused,
                       (select array_agg(line order by line) from refused) as refused_lines,
                       (select array_agg(raw order by line) from refused) as refused_raw,
                       %s
                       %s
                       count(*) filter (where up.inserted) as created,
                       count(*) filter (where not up.inserted) as updated
                from up
                """.formatted(
                                history == History.DRY_RUN
                                        ? "(select jsonb_agg(jsonb_build_array(product_id, version, kind, sku, before, after))"
                                                + " from hist)::text as changes,"
                                        : "",
                                history == History.OFF
                                        ? "0::int8 as raced,"
                                        // Referenced so it runs: a plain select CTE is evaluated only when read.
                                        : "(select count(*) from prior where o_version is distinct from version - 1) as raced,"
                                                + " (select count(*) from hist) as recorded,");
    }

    /** What the write returns of each product it wrote: its SKU, and with history its whole row. */
    private static String returned(History history) {
        return history == History.OFF
                ? "p.sku"
                : "p.id, p.version, p.sku, p.name, p.description, p.price, p.quantity, p.active, p.attributes";
    }

    /**
     * The history of the products the write created and updated (the changed fields). The stored row
     * is read by id in a lateral subquery: one index probe per updated product, none for a created one,
     * and the statement's snapshot still shows it as it was before the write.
     * <p>
     * A product an import creates is recorded without its image: it is what the product is now, less
     * the changes recorded after it, and readers rebuild it so (history/HistoryReads). Building and
     * storing a million images cost a fresh import about a seventh of its time; an undo needs only the
     * product's id and version. A dry run's products don't exist, so it keeps their images.
     */
    private static String recorded(History history, List<String> compared, String attrKeys) {
        if (history == History.OFF) return "";
        String source = history == History.DRY_RUN ? "dry-run" : "import";
        String columns =
                HistoryColumns.CORE.stream().map(f -> "o." + f + " as o_" + f).collect(Collectors.joining(", "))
                        + ", o.attributes as o_attributes";
        // A dry run's changes are only returned: its transaction is rolled back, and they are kept outside it.
        String into = history == History.DRY_RUN
                ? ""
                : "insert into product_history (product_id, version, kind, source, job_id, batch, sku, before, after)";
        return """
                prior as (
                    -- What each updated product was. A write committed by another transaction after this statement's
                    -- snapshot is not in it, though the upsert wrote onto it: then the version read here is not the
                    -- one before this write, and the batch is done again (raced, below).
                    select u.*, o.id as o_id, o.version as o_version, %7$s
                    from up u left join lateral (select * from products s where s.id = u.id) o on true
                    where not u.inserted
                ),
                hist as (
                    %6$s
                    select u.id as product_id, u.version, 'created' as kind, '%1$s' as source, $1::uuid as job_id,
                           $2::int4 as batch, u.sku, null::jsonb as before, %2$s as after
                    from up u where u.inserted
                    union all
                    select p.id, p.version, 'updated', '%1$s', $1, $2, p.sku, %3$s, %4$s
                    from prior p where p.o_version = p.version - 1
                    %5$s
                ),
                """.formatted(
                        source,
                        history == History.DRY_RUN ? HistoryColumns.image("u") : "null::jsonb",
                        HistoryColumns.diff(true, f -> "p.o_" + f, f -> "p." + f, compared, attrKeys),
                        HistoryColumns.diff(false, f -> "p.o_" + f, f -> "p." + f, compared, attrKeys),
                        history == History.DRY_RUN ? "" : "returning 1",
                        into,
                        columns);
    }
}
