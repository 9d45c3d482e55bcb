package dev.sluice.product;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Product writes (Hibernate); the list and its counts are plain SQL in {@link ProductReads}. */
@ApplicationScoped
public class ProductRepository implements PanacheRepositoryBase<Product, UUID> {

    public Uni<Boolean> skuTaken(String sku, UUID exceptId) {
        return exceptId == null
                ? count("lower(sku) = lower(?1)", sku).map(n -> n > 0)
                : count("lower(sku) = lower(?1) and id <> ?2", sku, exceptId).map(n -> n > 0);
    }

    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
