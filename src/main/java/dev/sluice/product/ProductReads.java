package dev.sluice.product;

import dev.sluice.attribute.AttributeJson;
import dev.sluice.common.PipelinedReads;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hot reads as plain SQL on the reactive client. One product by id: opening a Hibernate Reactive
 * session, hydrating an entity into a persistence context and closing it again cost about a fifth of
 * the CPU of {@code GET /api/products/{id}} under load (JFR, bench/load); a read-only lookup needs none
 * of it, and it goes over the {@link PipelinedReads} client. List totals: counted exactly up to
 * {@code app.products.exact-count-limit}, beyond that the planner's estimate, because counting a
 * search's 100,000 matches costs far more than fetching its page. Writes stay with
 * Hibernate ({@link ProductService}).
 */
@ApplicationScoped
public class ProductReads {
    private static final String COLUMNS =
            "id, sku, name, description, price, quantity, active, version, created_at, updated_at, attributes::text";
    /** Opens the text of an export's cursor query, so that pg_stat_activity tells what holds the connection. */
    static final String STREAM_TAG = "/* products export */";

    private static final String BY_ID = "select " + COLUMNS + " from products where id = $1";
    private final Pool pool;
    private final PipelinedReads pipelined;
    private final long exactUpTo;

    public ProductReads(
            Pool pool,
            PipelinedReads pipelined,
            @ConfigProperty(name = "app.products.exact-count-limit", defaultValue = "1000") long exactUpTo) {
        this.pool = pool;
        this.pipelined = pipelined;
        this.exactUpTo = exactUpTo;
    }

    /** The product, or null. */
    public Uni<ProductView> byId(UUID id) {
        return pipelined
                .preparedQuery(BY_ID)
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    /** A list row: the product and, for an attribute sort, its sort value as text (for the cursor). */
    public record Listed(ProductView view, String sortKey) {}

    /**
     * One page of the list plus one extra row, which tells whether a next page exists. Plain SQL: the
     * attribute filters compare exactly the expressions their indexes hold.
     */
    public Uni<List<Listed>> page(ProductQuery query) {
        List<Filter> filters = filters(query);
        List<Object> params =
                new ArrayList<>(filters.stream().map(Filter::value).toList());
        StringBuilder where = new StringBuilder(where(filters, i -> "$" + i));
        ProductSort sort = query.sort();
        if (query.after() != null) {
            where.append(where.isEmpty() ? " where " : " and ")
                    .append(sort.keysetCondition(params.size() + 1, params.size() + 2));
            params.add(sort.cursorParam(query.after().value()));
            if (!sort.unique()) params.add(query.after().id());
        }
        int first = query.after() == null ? query.page() * query.size() : 0;
        String sql = "select " + COLUMNS + ", " + (sort.attribute() == null ? "null" : sort.expression())
                + "::text from products" + where + sort.orderBy() + " limit " + (query.size() + 1) + " offset "
                + first;
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<Listed> out = new ArrayList<>(rows.size());
            for (Row r : rows) out.add(new Listed(view(r), r.getString(11)));
            return out;
        });
    }

    /**
     * Every matching product in list order as {@code selectList} (expressions over {@code products}),
     * from one server-side cursor, {@code fetch} rows a page: one plan and one snapshot for the whole
     * export. A page is one item, not {@code fetch} of them: at a million rows, per-row items through
     * the stream's operators cost more than encoding them. The next page is read only when the
     * subscriber asks, so memory is a few pages and a slow client slows the reads. The cursor holds a
     * connection and a read-only transaction until the stream ends or is cancelled, when both are
     * released.
     */
    public Multi<RowSet<Row>> pages(ProductQuery query, String selectList, int fetch) {
        List<Filter> filters = filters(query);
        Tuple params = Tuple.from(filters.stream().map(Filter::value).toList());
        // Named first: pg_stat_activity keeps only the first 1 kB of a query, and many attributes make a longer one.
        String sql = STREAM_TAG + " select " + selectList + " from products" + where(filters, i -> "$" + i)
                + query.sort().orderBy();
        return Multi.createFrom()
                .resourceFromUni(
                        () -> pool.getConnection().flatMap(Cursor::open),
                        cursor -> cursor.connection()
                                .prepare(sql)
                                .onItem()
                                .transformToMulti(statement -> pagesOf(statement.cursor(params), fetch)))
                .withFinalizer(Cursor::close);
    }

    /** Reads until the cursor is spent; the last page, full or not, is emitted too. */
    private static Multi<RowSet<Row>> pagesOf(io.vertx.mutiny.sqlclient.Cursor cursor, int fetch) {
        return Multi.createBy().repeating().uni(() -> cursor.read(fetch)).whilst(page -> cursor.hasMore());
    }

    /** A connection with the read-only transaction a cursor needs. */
    private record Cursor(SqlConnection connection, Transaction tx) {
        static Uni<Cursor> open(SqlConnection connection) {
            return connection
                    .begin()
                    .call(tx -> connection.query("set transaction read only").execute())
                    .map(tx -> new Cursor(connection, tx))
                    .onFailure()
                    .call(connection::close);
        }

        Uni<Void> close() {
            return tx.rollback().onFailure().recoverWithNull().eventually(connection::close);
        }
    }

    /** The list's filters, in parameter order. */
    private static List<Filter> filters(ProductQuery query) {
        List<Filter> filters = new ArrayList<>();
        if (query.q() != null) {
            // ILIKE is served by the trigram indexes on sku and name; searchable attributes are matched too.
            StringBuilder c = new StringBuilder("(sku ilike %1$s or name ilike %1$s");
            for (var a : query.searchable())
                c.append(" or ").append(a.textExpression()).append(" ilike %1$s");
            filters.add(
                    new Filter(c.append(")").toString(), "%" + ProductRepository.escapeLike(query.q()) + "%", "text"));
        }
        if (query.sku() != null) filters.add(new Filter("lower(sku) = lower(%1$s)", query.sku(), "text"));
        if (query.active() != null) filters.add(new Filter("active = %1$s", query.active(), "boolean"));
        for (AttributeFilter f : query.attributes()) filters.add(new Filter(f.condition(), f.value(), f.sqlType()));
        return filters;
    }

    /** A list's total: exact, or an estimate when there are more than the exact-count limit. */
    public record Total(long items, boolean estimated) {}

    /** One list filter: its condition with {@code %s} where the value goes, the value, and its SQL type. */
    private record Filter(String condition, Object value, String type) {}

    /** How many products match the list's filters (the same filters as {@link #page}). */
    public Uni<Total> count(ProductQuery query) {
        List<Filter> filters = filters(query);
        Tuple params = Tuple.from(filters.stream().map(Filter::value).toList());
        String where = where(filters, i -> "$" + i);
        return pool.preparedQuery(
                        "select count(*) from (select 1 from products" + where + " limit " + (exactUpTo + 1) + ") t")
                .execute(params)
                .flatMap(rows -> {
                    long n = rows.iterator().next().getLong(0);
                    if (n <= exactUpTo) return Uni.createFrom().item(new Total(n, false));
                    // format(%L) quotes each value server-side; the application splices none.
                    StringBuilder call = new StringBuilder("select count_estimate(format('select 1 from products")
                            // Inside a string literal: the attribute expressions' quotes are doubled.
                            .append(where(filters, i -> "%" + i + "$L").replace("'", "''"))
                            .append("'");
                    for (int i = 1; i <= filters.size(); i++)
                        call.append(", $")
                                .append(i)
                                .append("::")
                                .append(filters.get(i - 1).type());
                    return pool.preparedQuery(call.append("))").toString())
                            .execute(params)
                            .map(est -> new Total(
                                    Math.max(
                                            exactUpTo + 1, est.iterator().next().getLong(0)),
                                    true));
                });
    }

    /** " where …" with each filter's value written as {@code placeholder(its 1-based position)}; "" for none. */
    private static String where(List<Filter> filters, IntFunction<String> placeholder) {
        List<String> conditions = new ArrayList<>(filters.size());
        for (int i = 0; i < filters.size(); i++)
            conditions.add(filters.get(i).condition().formatted(placeholder.apply(i + 1)));
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    private static ProductView view(Row r) {
        return new ProductView(
                r.getUUID(0),
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getBigDecimal(4),
                r.getInteger(5),
                r.getBoolean(6),
                AttributeJson.read(r.getString(10)),
                r.getLong(7),
                r.getOffsetDateTime(8).toInstant(),
                r.getOffsetDateTime(9).toInstant());
    }
}
