package dev.sluice.product;

import dev.sluice.common.PipelinedReads;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
    private static final String BY_ID = """
            select id, sku, name, description, price, quantity, active, version, created_at, updated_at
            from products where id = $1""";
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

    /** A list's total: exact, or an estimate when there are more than the exact-count limit. */
    public record Total(long items, boolean estimated) {}

    /** One list filter: its condition with {@code %s} where the value goes, the value, and its SQL type. */
    private record Filter(String condition, Object value, String type) {}

    /** How many products match the list's filters (the same filters as {@link ProductRepository#findPage}). */
    public Uni<Total> count(ProductQuery query) {
        List<Filter> filters = new ArrayList<>();
        if (query.q() != null) {
            filters.add(new Filter(
                    "(sku ilike %1$s or name ilike %1$s)",
                    "%" + ProductRepository.escapeLike(query.q()) + "%", "text"));
        }
        if (query.sku() != null) filters.add(new Filter("lower(sku) = lower(%1$s)", query.sku(), "text"));
        if (query.active() != null) filters.add(new Filter("active = %1$s", query.active(), "boolean"));
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
                            .append(where(filters, i -> "%" + i + "$L"))
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
                r.getLong(7),
                r.getOffsetDateTime(8).toInstant(),
                r.getOffsetDateTime(9).toInstant());
    }
}
