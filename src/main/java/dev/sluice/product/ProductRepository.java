package dev.sluice.product;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ProductRepository implements PanacheRepositoryBase<Product, UUID> {

    /** One page of the list plus one extra row, which tells whether a next page exists. */
    public Uni<List<Product>> findPage(ProductQuery query) {
        Parameters params = new Parameters();
        StringBuilder where = filters(query, params);
        if (query.after() != null) {
            where.append(where.isEmpty() ? " where " : " and ")
                    .append(query.sort().keysetCondition());
            params.and("cv", query.after().typedValue(query.sort()));
            if (!query.sort().field().unique()) params.and("cid", query.after().id());
        }
        int first = query.after() == null ? query.page() * query.size() : 0;
        return find("from Product p" + where + query.sort().orderBy(), params)
                .range(first, first + query.size())
                .list();
    }

    public Uni<Boolean> skuTaken(String sku, UUID exceptId) {
        return exceptId == null
                ? count("lower(sku) = lower(?1)", sku).map(n -> n > 0)
                : count("lower(sku) = lower(?1) and id <> ?2", sku, exceptId).map(n -> n > 0);
    }

    private static StringBuilder filters(ProductQuery query, Parameters params) {
        List<String> conditions = new ArrayList<>(3);
        if (query.q() != null) {
            // ILIKE is served by the trigram indexes on sku and name.
            conditions.add("(p.sku ilike :q or p.name ilike :q)");
            params.and("q", "%" + escapeLike(query.q()) + "%");
        }
        if (query.sku() != null) {
            conditions.add("lower(p.sku) = lower(:sku)");
            params.and("sku", query.sku());
        }
        if (query.active() != null) {
            conditions.add("p.active = :active");
            params.and("active", query.active());
        }
        return new StringBuilder(conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions));
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
