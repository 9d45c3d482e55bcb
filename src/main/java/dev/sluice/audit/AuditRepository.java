package dev.sluice.audit;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEntry, UUID> {

    public Uni<List<AuditEntry>> page(AuditQuery q) {
        Where w = where(q);
        return find(w.hql, Sort.descending("at").and("id", Sort.Direction.Descending), w.params)
                .page(q.page(), q.size())
                .list();
    }

    public Uni<Long> count(AuditQuery q) {
        Where w = where(q);
        return count(w.hql, w.params);
    }

    private record Where(String hql, Parameters params) {}

    private static Where where(AuditQuery q) {
        List<String> clauses = new ArrayList<>();
        Parameters p = new Parameters();
        if (q.actorId() != null) {
            clauses.add("actorId = :actorId");
            p.and("actorId", q.actorId());
        }
        if (q.actorEmail() != null) {
            clauses.add("lower(actorEmail) = :actorEmail");
            p.and("actorEmail", q.actorEmail().toLowerCase(Locale.ROOT));
        }
        if (q.entity() != null) {
            clauses.add("entity = :entity");
            p.and("entity", q.entity());
        }
        if (q.entityId() != null) {
            clauses.add("entityId = :entityId");
            p.and("entityId", q.entityId());
        }
        if (q.action() != null) {
            // "product" matches product.create, product.update, …; "product.update" just that.
            clauses.add(q.action().contains(".") ? "action = :action" : "action like :action");
            p.and("action", q.action().contains(".") ? q.action() : q.action() + ".%");
        }
        if (q.from() != null) {
            clauses.add("at >= :from");
            p.and("from", q.from());
        }
        if (q.to() != null) {
            clauses.add("at < :to");
            p.and("to", q.to());
        }
        return new Where(clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses), p);
    }
}
