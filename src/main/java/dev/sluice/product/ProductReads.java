package dev.sluice.product;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The hottest read, one product by id, as a single prepared statement on the reactive client. Opening
 * a Hibernate Reactive session, hydrating an entity into a persistence context and closing it again
 * cost about a fifth of the CPU of {@code GET /api/products/{id}} under load (JFR, bench/load); a
 * read-only lookup needs none of it. Writes stay with Hibernate ({@link ProductService}).
 */
@ApplicationScoped
public class ProductReads {
    private static final String BY_ID = """
            select id, sku, name, description, price, quantity, active, version, created_at, updated_at
            from products where id = $1""";
    private final Pool pool;

    public ProductReads(Pool pool) {
        this.pool = pool;
    }

    /** The product, or null. */
    public Uni<ProductView> byId(UUID id) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    private static ProductView view(Row r) {
        return new ProductView(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getBigDecimal(4),
                r.getInteger(5), r.getBoolean(6), r.getLong(7), r.getOffsetDateTime(8).toInstant(),
                r.getOffsetDateTime(9).toInstant());
    }
}
