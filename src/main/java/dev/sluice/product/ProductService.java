package dev.sluice.product;

import dev.sluice.attribute.AttributeCatalog;
import dev.sluice.attribute.Attributes;
import dev.sluice.audit.AuditLog;
import dev.sluice.audit.Changes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.PageResponse;
import dev.sluice.common.RowDelete;
import dev.sluice.common.UuidV7;
import dev.sluice.webhook.WebhookEventTypes;
import dev.sluice.webhook.WebhookOutbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ProductService {
    private final ProductRepository products;
    private final ProductReads reads;
    private final WebhookOutbox outbox;
    private final AuditLog audit;
    private final AttributeCatalog catalog;

    public ProductService(
            ProductRepository products,
            ProductReads reads,
            WebhookOutbox outbox,
            AuditLog audit,
            AttributeCatalog catalog) {
        this.products = products;
        this.reads = reads;
        this.outbox = outbox;
        this.audit = audit;
        this.catalog = catalog;
    }

    public Uni<PageResponse<ProductView>> list(ProductQuery query) {
        return reads.page(query)
                .flatMap(rows -> reads.count(query).map(total -> {
                    boolean more = rows.size() > query.size();
                    List<ProductReads.Listed> page = more ? rows.subList(0, query.size()) : rows;
                    String next = more
                            ? ProductCursor.after(page.getLast(), query.sort()).encode()
                            : null;
                    return PageResponse.of(
                            page.stream().map(ProductReads.Listed::view).toList(),
                            query.page(),
                            query.size(),
                            total.items(),
                            next,
                            total.estimated());
                }));
    }

    public Uni<ProductView> get(UUID id) {
        return reads.byId(id).onItem().ifNull().failWith(() -> ApiException.notFound("Product", id));
    }

    @WithTransaction
    public Uni<ProductView> create(ProductInput input) {
        return catalog.current()
                .map(attrs -> checked(attrs, input.attributes(), true))
                .call(attrs -> ensureSkuFree(input.sku(), null))
                .flatMap(attrs -> {
                    Product p = new Product();
                    p.id = UuidV7.next();
                    p.apply(input, attrs);
                    return products.persistAndFlush(p);
                })
                .map(ProductView::of)
                .call(view -> outbox.enqueue(WebhookEventTypes.PRODUCT_CREATED, view))
                .call(view ->
                        audit.record("product.create", "product", view.id(), Changes.diff(null, audit.fields(view))));
    }

    /** Full update. {@code expectedVersion} comes from If-Match; null means "don't check". */
    @WithTransaction
    public Uni<ProductView> update(UUID id, ProductInput input, Long expectedVersion) {
        Map<String, Object>[] attrs = new Map[1];
        return catalog.current()
                .invoke(all -> attrs[0] = input.attributes() == null ? null : checked(all, input.attributes(), false))
                .chain(() -> find(id))
                .invoke(p -> checkVersion(p, expectedVersion))
                .call(p -> ensureSkuFree(input.sku(), id))
                .flatMap(p -> {
                    ProductView before = ProductView.of(p);
                    p.apply(input, attrs[0]);
                    // A PUT that changes nothing leaves the version alone, and announces and records nothing.
                    return products.flush()
                            .map(x -> ProductView.of(p))
                            .call(view -> view.version() == before.version()
                                    ? Uni.createFrom().voidItem()
                                    : outbox.enqueue(WebhookEventTypes.PRODUCT_UPDATED, view)
                                            .call(x -> audit.record(
                                                    "product.update",
                                                    "product",
                                                    id,
                                                    Changes.diff(audit.fields(before), audit.fields(view)))));
                });
    }

    @WithTransaction
    public Uni<Void> delete(UUID id, Long expectedVersion) {
        return find(id).invoke(p -> checkVersion(p, expectedVersion))
                .call(p -> outbox.enqueue(WebhookEventTypes.PRODUCT_DELETED, ProductView.of(p)))
                .call(p -> audit.record(
                        "product.delete", "product", id, Changes.diff(audit.fields(ProductView.of(p)), null)))
                .call(p -> RowDelete.atVersion(products, "product", id, p.version))
                .replaceWithVoid();
    }

    @WithTransaction
    public Uni<Long> deleteAll() {
        return products.deleteAll()
                .call(n -> n == 0
                        ? Uni.createFrom().voidItem()
                        : outbox.enqueue(WebhookEventTypes.PRODUCTS_DELETED_ALL, Map.of("deleted", n))
                                .call(x -> audit.record("product.delete_all", "product", null, Map.of("deleted", n))));
    }

    /** The attributes in their stored form, or a 400 naming each {@code attributes.<code>} at fault. */
    private static Map<String, Object> checked(Attributes all, Map<String, Object> input, boolean creating) {
        Attributes.Checked c = all.check(input, creating);
        if (!c.errors().isEmpty()) throw ApiException.badRequest("Invalid attributes", c.errors());
        return c.values();
    }

    private Uni<Product> find(UUID id) {
        return products.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("Product", id));
    }

    private Uni<Void> ensureSkuFree(String sku, UUID exceptId) {
        String s = sku.strip();
        return products.skuTaken(s, exceptId).map(taken -> {
            if (taken) {
                throw ApiException.conflict(
                        "A product with SKU '" + s + "' already exists (SKUs ignore letter case)",
                        List.of(new FieldError("sku", "is already used by another product", s)));
            }
            return null;
        });
    }

    private static void checkVersion(Product p, Long expected) {
        if (expected != null && !expected.equals(p.version)) {
            throw new ApiException(
                    412,
                    "Precondition failed",
                    "The product has changed since you read it (version " + p.version + ", you sent " + expected + ")");
        }
    }
}
