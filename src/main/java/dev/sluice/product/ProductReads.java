package dev.sluice.product;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Hot reads as plain SQL on the reactive client. One product by id: opening a Hibernate Reactive
 * session, hydrating an entity into a persistence context and closing it again cost about a fifth of
 * the CPU of {@code GET /api/products/{id}} under load (JFR, bench/load); a read-only lookup needs none
 * of it. List totals: counted exactly up to {@code app.products.exact-count-limit}, beyond that the planner's estimate,
 * because counting a search's 100,000 matches costs far more than fetching its page. Writes stay with
 * Hibernate ({@link ProductService}).
 */
@ApplicationScoped
public class ProductReads {
    private static final String BY_ID = """
            select id, sku, name, description, price, quantity, active, version, created_at, updated_at
            from products where id = $1""";
    private final Pool pool;
    private final long exactUpTo;

    public ProductReads(Pool pool, @ConfigProperty(name = "app.products.exact-count-limit", defaultValue = "1000") long exactUpTo) {
        this.pool = pool;
        this.exactUpTo = exactUpTo;
    }

    /** The product, or null. */
    public Uni<ProductView> byId(UUID id) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    /** A list's total: exact, or an estimate when there are more than the exact-count limit. */
    public record Total(long items, boolean estimated) {}

    /** How many products match the list's filters (the same filters as {@link ProductRepository#findPage}). */
    public Uni<Total> count(ProductQuery query) {
        List<Object> args = new ArrayList<>();
        List<String> sql = new ArrayList<>(), quoted = new ArrayList<>(), casts = new ArrayList<>();
        if (query.q() != null) {
            args.add("%" + ProductRepository.escapeLike(query.q()) + "%");
            sql.add("(sku ilike $" + args.size() + " or name ilike $" + args.size() + ")");
            quoted.add("(sku ilike %" + args.size() + "$L or name ilike %" + args.size() + "$L)");
            casts.add("text");
        }
        if (query.sku() != null) {
            args.add(query.sku());
            sql.add("lower(sku) = lower($" + args.size() + ")");
            quoted.add("lower(sku) = lower(%" + args.size() + "$L)");
            casts.add("text");
        }
        if (query.active() != null) {
            args.add(query.active());
            sql.add("active = $" + args.size());
            quoted.add("active = %" + args.size() + "$L");
            casts.add("boolean");
        }
        String where = sql.isEmpty() ? "" : " where " + String.join(" and ", sql);
        Tuple params = Tuple.from(args);
        return pool.preparedQuery("select count(*) from (select 1 from products" + where + " limit " + (exactUpTo + 1) + ") t")
                .execute(params)
                .flatMap(rows -> {
                    long n = rows.iterator().next().getLong(0);
                    if (n <= exactUpTo) return Uni.createFrom().item(new Total(n, false));
                    // format(%L) quotes each value server-side; the application splices none.
                    String template = "select 1 from products" + (quoted.isEmpty() ? "" : " where " + String.join(" and ", quoted));
                    StringBuilder call = new StringBuilder("select count_estimate(format('" + template + "'");
                    for (int i = 1; i <= args.size(); i++) call.append(", $").append(i).append("::").append(casts.get(i - 1));
                    return pool.preparedQuery(call.append("))").toString()).execute(params)
                            .map(est -> new Total(Math.max(exactUpTo + 1, est.iterator().next().getLong(0)), true));
                });
    }

    private static ProductView view(Row r) {
        return new ProductView(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getBigDecimal(4),
                r.getInteger(5), r.getBoolean(6), r.getLong(7), r.getOffsetDateTime(8).toInstant(),
                r.getOffsetDateTime(9).toInstant());
    }
}
