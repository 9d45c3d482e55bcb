package dev.sluice.attribute;

import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.audit.Changes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.history.HistoryLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Attribute schema changes: each in one transaction with its audit entry, the history of every product
 * whose values it converts or removes (who, and the value before and after), and its notice to the other
 * instances; a type (or enum options) change converts the stored values, or changes nothing and says
 * how many can't take it. After commit the cache is dropped and the filter index built.
 */
@ApplicationScoped
public class AttributeService {
    private final AttributeRepository attributes;
    private final AttributeCatalog catalog;
    private final AttributeIndexSql indexes;
    private final AuditLog audit;
    private final HistoryLog history;

    public AttributeService(
            AttributeRepository attributes,
            AttributeCatalog catalog,
            AttributeIndexSql indexes,
            AuditLog audit,
            HistoryLog history) {
        this.history = history;
        this.attributes = attributes;
        this.catalog = catalog;
        this.indexes = indexes;
        this.audit = audit;
    }

    public Uni<List<AttributeView>> list() {
        return catalog.current().map(Attributes::all);
    }

    public Uni<AttributeView> get(String code) {
        return catalog.current().map(all -> {
            AttributeView a = all.get(code);
            if (a == null) throw ApiException.notFound("Attribute", code);
            return a;
        });
    }

    public Uni<AttributeView> create(AttributeInput in) {
        return create(in, audit.currentActor());
    }

    Uni<AttributeView> create(AttributeInput in, Actor actor) {
        String code = in.code() == null ? null : in.code().strip();
        List<FieldError> errors = AttributeRules.check(in, code);
        if (!errors.isEmpty()) throw ApiException.badRequest("Invalid attribute", errors);
        return Panache.withTransaction(() -> attributes
                        .findById(code)
                        .invoke(existing -> {
                            if (existing != null)
                                throw ApiException.conflict(
                                        "An attribute with code '" + code + "' already exists",
                                        List.of(new FieldError("code", "is already used", code)));
                        })
                        .flatMap(x -> {
                            Attribute a = new Attribute();
                            a.code = code;
                            apply(a, in);
                            return attributes.persistAndFlush(a);
                        })
                        .map(Attribute::view)
                        .call(v -> audit.record(
                                actor, "attribute.create", "attribute", code, Changes.diff(null, fields(v))))
                        .call(v -> attributes.announce(code)))
                .call(this::committed);
    }

    public Uni<AttributeView> update(String code, AttributeInput in) {
        List<FieldError> errors = AttributeRules.check(in, code);
        if (in.code() != null && !in.code().strip().equals(code))
            errors.add(new FieldError("code", "can't be changed (it is the attribute's key)", in.code()));
        if (!errors.isEmpty()) throw ApiException.badRequest("Invalid attribute", errors);
        AttributeType type = AttributeType.of(in.type());
        List<String> options = AttributeRules.options(in);
        return Panache.withTransaction(() -> find(code).flatMap(a -> {
                    AttributeView before = a.view();
                    boolean retyped = !before.type().equals(type.wire())
                            || (type == AttributeType.ENUM && !before.options().equals(options));
                    boolean reindex = retyped || before.filterable() && !Boolean.TRUE.equals(in.filterable());
                    Uni<Void> values = !retyped
                            ? Uni.createFrom().voidItem()
                            : attributes
                                    .incompatible(code, type, options)
                                    .invoke(n -> {
                                        if (n > 0) throw cantConvert(code, before.type(), type, n);
                                    })
                                    .call(n -> reindex
                                            ? attributes.dropIndex(code)
                                            : Uni.createFrom().voidItem())
                                    .call(n -> attributes.convert(
                                            code, type, options, audit.currentActor(), history.enabled()))
                                    .replaceWithVoid();
                    return values.call(x -> reindex && !retyped
                                    ? attributes.dropIndex(code)
                                    : Uni.createFrom().voidItem())
                            .map(x -> {
                                apply(a, in);
                                return a;
                            })
                            .call(x -> attributes.flush())
                            .map(Attribute::view)
                            .call(after -> {
                                Map<String, Object> changes = Changes.diff(fields(before), fields(after));
                                return changes.isEmpty()
                                        ? Uni.createFrom().voidItem()
                                        : audit.record("attribute.update", "attribute", code, changes)
                                                .call(y -> attributes.announce(code));
                            });
                }))
                .call(this::committed);
    }

    /** Deletes the definition; refused (409) while products have a value for it, unless {@code purge}. */
    public Uni<Void> delete(String code, boolean purge) {
        return Panache.withTransaction(() -> find(code)
                        .flatMap(a -> attributes
                                .productsUsing(code)
                                .invoke(n -> {
                                    if (n > 0 && !purge) {
                                        throw ApiException.conflict(
                                                        n + " product(s) have a value for attribute '" + code
                                                                + "'; delete with ?purge=true to remove those values too",
                                                        List.of())
                                                .with("productsUsing", n);
                                    }
                                })
                                .call(n -> n == 0
                                        ? Uni.createFrom().voidItem()
                                        : attributes
                                                .purge(code, audit.currentActor(), history.enabled())
                                                .call(purged -> audit.record(
                                                        "attribute.purge",
                                                        "attribute",
                                                        code,
                                                        Map.of("code", code, "products", purged))))
                                .call(n -> attributes.dropIndex(code))
                                .call(n -> attributes.delete(a))
                                .call(n -> audit.record(
                                        "attribute.delete", "attribute", code, Changes.diff(fields(a.view()), null)))
                                .call(n -> attributes.announce(code))))
                .invoke(catalog::invalidate)
                .replaceWithVoid();
    }

    /**
     * Text attributes for an import's unmapped columns (option unmapped=create): one per header, its
     * code derived from the header (made unique), its label the header itself, so the header matches it.
     * Returns header → code.
     */
    public Uni<Map<String, String>> createText(List<String> headers, Actor actor) {
        if (headers.isEmpty()) return Uni.createFrom().item(Map.of());
        return catalog.fresh().flatMap(all -> {
            Set<String> taken = new HashSet<>();
            all.all().forEach(a -> taken.add(a.code()));
            Map<String, String> codes = new LinkedHashMap<>();
            for (String h : headers) {
                String base = AttributeRules.codeFor(h), code = base;
                for (int i = 2; !taken.add(code); i++) code = base + "_" + i;
                codes.put(h, code);
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Map.Entry<String, String> e : codes.entrySet()) {
                String label =
                        e.getKey().strip().isEmpty() ? e.getValue() : e.getKey().strip();
                AttributeInput in = new AttributeInput(
                        e.getValue(),
                        label.length() > AttributeRules.LABEL_MAX
                                ? label.substring(0, AttributeRules.LABEL_MAX)
                                : label,
                        "text",
                        false,
                        null,
                        false,
                        false);
                chain = chain.chain(() -> create(in, actor).replaceWithVoid());
            }
            return chain.replaceWith(codes);
        });
    }

    private Uni<Void> committed(AttributeView a) {
        catalog.invalidate();
        // The index builds concurrently, off the request: over a large catalog it takes seconds.
        indexes.ensure(a).subscribe().with(x -> {}, e -> {});
        return Uni.createFrom().voidItem();
    }

    private Uni<Attribute> find(String code) {
        return attributes.findById(code).onItem().ifNull().failWith(() -> ApiException.notFound("Attribute", code));
    }

    private static void apply(Attribute a, AttributeInput in) {
        String label =
                in.label() == null || in.label().isBlank() ? a.code : in.label().strip();
        if (!Objects.equals(a.label, label)) a.label = label;
        String type = AttributeType.of(in.type()).wire();
        if (!Objects.equals(a.type, type)) a.type = type;
        String options = AttributeJson.writeList(AttributeRules.options(in));
        if (!AttributeJson.readList(a.options).equals(AttributeRules.options(in))) a.options = options;
        a.required = Boolean.TRUE.equals(in.required());
        a.filterable = Boolean.TRUE.equals(in.filterable());
        a.searchable = Boolean.TRUE.equals(in.searchable());
    }

    private static ApiException cantConvert(String code, String from, AttributeType to, long n) {
        return ApiException.conflict(
                        n + " stored value(s) of attribute '" + code + "' can't be read as " + to.wire()
                                + "; nothing was changed",
                        List.of(new FieldError("type", n + " stored value(s) can't take this type", to.wire())))
                .with("incompatibleCount", n)
                .with("from", from)
                .with("to", to.wire());
    }

    private static Map<String, Object> fields(AttributeView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", v.code());
        m.put("label", v.label());
        m.put("type", v.type());
        m.put("required", v.required());
        m.put("options", v.options());
        m.put("filterable", v.filterable());
        m.put("searchable", v.searchable());
        return m;
    }
}
