package dev.sluice.user;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {
    /** Serialises changes that could remove the last active admin (pg_advisory_xact_lock key). */
    private static final long ADMIN_GUARD_LOCK = 0x51_1C_E0_01L;

    public Uni<User> findByEmail(String email) {
        return find("lower(email) = lower(?1)", email.strip()).firstResult();
    }

    public Uni<Boolean> emailTaken(String email, UUID exceptId) {
        return (exceptId == null
                        ? count("lower(email) = lower(?1)", email.strip())
                        : count("lower(email) = lower(?1) and id <> ?2", email.strip(), exceptId))
                .map(n -> n > 0);
    }

    public Uni<List<User>> search(String q, int page, int size) {
        return q == null
                ? findAll(Sort.by("email")).page(Page.of(page, size)).list()
                : find("lower(email) like lower(?1)", Sort.by("email"), like(q))
                        .page(Page.of(page, size))
                        .list();
    }

    public Uni<Long> countMatching(String q) {
        return q == null ? count() : count("lower(email) like lower(?1)", like(q));
    }

    /** Active admins other than the given user: the "last admin" guard asks whether this is zero. */
    public Uni<Long> countOtherActiveAdmins(UUID exceptId) {
        return count(
                "active = true and id <> ?1 and (roles = 'ADMIN' or roles like 'ADMIN,%' or roles like '%,ADMIN' or roles like '%,ADMIN,%')",
                exceptId);
    }

    /** Takes the "last admin" guard's lock until the current transaction ends; call inside one. */
    public Uni<Void> lockAdminGuard() {
        return getSession()
                .flatMap(s -> s.createNativeQuery(
                                "select count(*) from (select pg_advisory_xact_lock(" + ADMIN_GUARD_LOCK + ")) l")
                        .getSingleResult())
                .replaceWithVoid();
    }

    private static String like(String q) {
        return "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
