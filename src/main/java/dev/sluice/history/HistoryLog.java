package dev.sluice.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.audit.Actor;
import dev.sluice.common.Json;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * Records the API's product writes in the current Hibernate Reactive transaction, as the audit log
 * and the webhook outbox do: a change and its history commit or roll back together. Images are
 * the product as {@code {sku, name, description, price, quantity, active, attributes}}; an update
 * records only the fields that changed, a deletion the whole product (an undo brings it back from
 * it). Imports, undos and delete-all record theirs in their own set-based statements.
 */
@ApplicationScoped
public class HistoryLog {
    private static final String INSERT = """
            insert into product_history (product_id, version, kind, source, sku, actor_id, actor_email, before, after)
            values (cast(:id as uuid), :version, :kind, 'api', :sku, cast(nullif(:actorId, '') as uuid),
                    nullif(:actorEmail, ''), %s, %s)""";
    private static final String JSON = "cast(cast(:%s as text) as jsonb)";
    private final ObjectMapper json;
    private final HistoryConfig config;

    public HistoryLog(ObjectMapper json, HistoryConfig config) {
        this.json = json;
        this.config = config;
    }

    public boolean enabled() {
        return config.enabled();
    }

    public Uni<Void> created(Actor actor, UUID id, long version, String sku, Map<String, ?> image) {
        return insert(actor, id, version, ChangeKind.CREATED, sku, null, image);
    }

    /** Nothing is recorded when no field changed. */
    public Uni<Void> updated(
            Actor actor, UUID id, long version, String sku, Map<String, ?> before, Map<String, ?> after) {
        HistoryDiff.Changed changed = HistoryDiff.between(before, after);
        if (changed.none()) return Uni.createFrom().voidItem();
        return insert(actor, id, version, ChangeKind.UPDATED, sku, changed.before(), changed.after());
    }

    /** {@code image} also carries {@code createdAt}, so a product brought back keeps it. */
    public Uni<Void> deleted(Actor actor, UUID id, long version, String sku, Map<String, ?> image) {
        return insert(actor, id, version, ChangeKind.DELETED, sku, image, null);
    }

    /** A deleted product brought back: its whole image, as a creation records it. */
    public Uni<Void> restored(Actor actor, UUID id, long version, String sku, Map<String, ?> image) {
        return insert(actor, id, version, ChangeKind.RESTORED, sku, null, image);
    }

    private Uni<Void> insert(
            Actor actor,
            UUID id,
            long version,
            ChangeKind kind,
            String sku,
            Map<String, ?> before,
            Map<String, ?> after) {
        if (!config.enabled()) return Uni.createFrom().voidItem();
        // A null can't be bound without a type here, so an absent side is written as a literal.
        String sql = INSERT.formatted(
                before == null ? "null" : JSON.formatted("before"), after == null ? "null" : JSON.formatted("after"));
        return Panache.getSession()
                .flatMap(s -> {
                    var q = s.createNativeQuery(sql)
                            .setParameter("id", id.toString())
                            .setParameter("version", version)
                            .setParameter("kind", kind.wire())
                            .setParameter("sku", sku)
                            .setParameter(
                                    "actorId",
                                    actor.id() == null ? "" : actor.id().toString())
                            .setParameter("actorEmail", actor.email() == null ? "" : actor.email());
                    if (before != null) q.setParameter("before", Json.pgSafe(Json.write(json, before)));
                    if (after != null) q.setParameter("after", Json.pgSafe(Json.write(json, after)));
                    return q.executeUpdate();
                })
                .replaceWithVoid();
    }
}
