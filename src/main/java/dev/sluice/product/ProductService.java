package dev.sluice.product;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.attribute.AttributeCatalog;
import dev.sluice.attribute.AttributeJson;
import dev.sluice.attribute.Attributes;
import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.audit.Changes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.PageResponse;
import dev.sluice.common.RowDelete;
import dev.sluice.common.UuidV7;
import dev.sluice.history.HistoryEntry;
import dev.sluice.history.HistoryLog;
import dev.sluice.history.HistoryReads;
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
    private final HistoryLog history;
    private final HistoryReads historyReads;

    public ProductService(
            ProductRepository products,
            ProductReads reads,
            WebhookOutbox outbox,
            AuditLog audit,
            AttributeCatalog catalog,
            HistoryLog history,
            HistoryReads historyReads) {
        this.products = products;
        this.reads = reads;
        this.outbox = outbox;
        this.audit = audit;
        this.catalog = catalog;
        this.history = history;
        this.historyReads = historyReads;
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
                .call(view -> history.created(
                        audit.currentActor(), view.id(), view.version(), view.sku(), ProductImage.of(view)))
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
                                            .call(x -> history.updated(
                                                    audit.currentActor(),
                                                    id,
                                                    view.version(),
                                                    view.sku(),
                                                    ProductImage.of(before),
                                                    ProductImage.of(view)))
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
                .call(p -> history.deleted(
                        audit.currentActor(), id, p.version, p.sku, ProductImage.whole(ProductView.of(p))))
                .call(p -> audit.record(
                        "product.delete", "product", id, Changes.diff(audit.fields(ProductView.of(p)), null)))
                .call(p -> RowDelete.atVersion(products, "product", id, p.version))
                .replaceWithVoid();
    }

    /**
     * Brings a deleted product back from its history, as it was when deleted: same id, SKU, fields,
     * attributes and creation time, at a new version. Announced as product.restored, recorded as a
     * restore, audited. A product that exists, one deleted while history was off, and one whose SKU
     * another product has taken since are 409s that say which ({@code reason}).
     */
    @WithTransaction
    public Uni<ProductView> restore(UUID id) {
        return products.lastRecorded(id)
                .invoke(last -> restorable(id, last))
                .flatMap(last -> catalog.current()
                        .map(all -> asDefinedNow(all, last.attributes()))
                        .flatMap(attrs -> products.restoreDeleted(id, AttributeJson.write(attrs)))
                        .call(restored -> restored
                                ? Uni.createFrom().voidItem()
                                : products.holderAfterRace(id, last.sku()).invoke(holder -> lostRace(id, holder))))
                .chain(() -> find(id))
                .map(ProductView::of)
                .call(view -> outbox.enqueue(WebhookEventTypes.PRODUCT_RESTORED, view))
                .call(view ->
                        history.restored(audit.currentActor(), id, view.version(), view.sku(), ProductImage.of(view)))
                .call(view -> audit.record("product.restore", "product", id, Changes.diff(null, audit.fields(view))));
    }

    private static void restorable(UUID id, ProductRepository.LastRecorded last) {
        if (last.exists()) {
            throw ApiException.conflict(
                            "Product " + id + " is not deleted; only a deleted product can be restored", List.of())
                    .with("reason", "not-deleted");
        }
        if (last.kind() == null) throw ApiException.notFound("Product", id);
        if (!last.deletedWithImage()) {
            throw ApiException.conflict(
                            "Product " + id
                                    + " was deleted while history was off: there is no record to restore it from",
                            List.of())
                    .with("reason", "not-recorded");
        }
    }

    /**
     * The deleted product's attributes as the definitions stand now: one deleted or retyped since it
     * was deleted (its values were converted only on live products), or one made required, is a 409
     * naming each {@code attributes.<code>}, not a product the filters and the type checks can't read.
     */
    private static Map<String, Object> asDefinedNow(Attributes all, Map<String, Object> recorded) {
        Attributes.Checked c = all.check(recorded, true);
        if (!c.errors().isEmpty()) {
            throw ApiException.conflict(
                            "The attribute definitions changed since the product was deleted: its recorded values no "
                                    + "longer fit them",
                            c.errors())
                    .with("reason", "attributes-changed");
        }
        return c.values();
    }

    private static void lostRace(UUID id, String holder) {
        if (holder.equals("exists")) {
            throw ApiException.conflict("Product " + id + " was restored meanwhile", List.of())
                    .with("reason", "not-deleted");
        }
        ApiException taken = ApiException.conflict(
                        "Another product has taken its SKU since; change or delete that one first", List.of())
                .with("reason", "sku-taken");
        throw holder.isEmpty() ? taken : taken.with("takenBy", holder);
    }

    /** What a delete-all did: how many products, and the job that undoes it (null when there were none). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeletedAll(long deleted, UUID jobId) {}

    /**
     * Deletes every product as a job of its own, listed with the imports: each product is kept whole in
     * its history, so {@code POST /api/imports/{jobId}/undo} brings them all back with their ids.
     */
    @WithTransaction
    public Uni<DeletedAll> deleteAll() {
        UUID job = UuidV7.next();
        Actor actor = audit.currentActor();
        return products.deleteAllRecorded(job, history.enabled()).flatMap(n -> {
            if (n == 0) return Uni.createFrom().item(new DeletedAll(0, null));
            Map<String, Object> summary = Map.of("deleted", n, "jobId", job);
            return products.recordDeleteAllJob(job, n, actor, history.enabled())
                    .call(x -> outbox.enqueue(WebhookEventTypes.PRODUCTS_DELETED_ALL, summary))
                    .call(x -> audit.record(actor, "product.delete_all", "product", null, summary))
                    .replaceWith(new DeletedAll(n, job));
        });
    }

    /** A product's versions, newest first; it answers after the product is deleted too. */
    public Uni<PageResponse<HistoryEntry>> history(UUID id, int page, int size) {
        return historyReads
                .product(id, page, size)
                .flatMap(entries -> entries.totalItems() > 0
                        ? Uni.createFrom().item(entries)
                        // No recorded change: the product may predate history (or it is off), or not exist at all.
                        : reads.byId(id).map(p -> {
                            if (p == null) throw ApiException.notFound("Product", id);
                            return entries;
                        }));
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
