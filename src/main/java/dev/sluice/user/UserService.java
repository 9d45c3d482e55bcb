package dev.sluice.user;

import dev.sluice.audit.AuditLog;
import dev.sluice.audit.Changes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.PageResponse;
import dev.sluice.common.RowDelete;
import dev.sluice.common.UuidV7;
import dev.sluice.security.PasswordHasher;
import dev.sluice.security.UserSessions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

@ApplicationScoped
public class UserService {
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final UserSessions sessions;

    private final AuditLog audit;
    private final PasswordlessSignIn passwordless;

    public UserService(
            UserRepository users,
            PasswordHasher hasher,
            UserSessions sessions,
            AuditLog audit,
            PasswordlessSignIn passwordless) {
        this.audit = audit;
        this.passwordless = passwordless;
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
    }

    @WithSession
    public Uni<PageResponse<UserView>> list(String q, int page, int size) {
        String query = q == null || q.isBlank() ? null : q;
        return users.search(query, page, size)
                .flatMap(list -> users.countMatching(query)
                        .map(total ->
                                PageResponse.of(list.stream().map(UserView::of).toList(), page, size, total, null)));
    }

    @WithSession
    public Uni<UserView> get(UUID id) {
        return find(id).map(UserView::of);
    }

    public Uni<UserView> create(UserInput in) {
        if (in.password() == null && !passwordless.available()) {
            throw ApiException.badRequest(
                    "A password is required", List.of(new FieldError("password", "must not be null")));
        }
        // Without a password the account can only sign in with a code by email.
        Uni<String> hashed = in.password() == null ? Uni.createFrom().nullItem() : hasher.hash(in.password());
        return hashed.flatMap(hash -> Panache.withTransaction(() -> ensureEmailFree(in.email(), null)
                        .flatMap(x -> {
                            User u = new User();
                            u.id = UuidV7.next();
                            u.email = in.email().strip();
                            u.passwordHash = hash;
                            u.roleSet(in.roles());
                            u.active = in.active() == null || in.active();
                            return users.persistAndFlush(u)
                                    .call(saved -> audit.record(
                                            "user.create",
                                            "user",
                                            saved.id,
                                            Changes.diff(null, audit.fields(UserView.of(saved)))));
                        })))
                .map(UserView::of);
    }

    /** Full update; a null password keeps the current one. Access is re-checked at once: sessions end on any security change. */
    public Uni<UserView> update(UUID id, UserInput in) {
        Uni<String> newHash = in.password() == null ? Uni.createFrom().nullItem() : hasher.hash(in.password());
        return newHash.flatMap(hash -> Panache.withTransaction(() -> lockAdmins()
                        .flatMap(x -> find(id))
                        .call(u -> ensureEmailFree(in.email(), id))
                        .call(u -> {
                            boolean staysAdmin = in.roles().contains("ADMIN") && (in.active() == null || in.active());
                            return u.active && u.isAdmin() && !staysAdmin
                                    ? ensureAnotherAdmin(u.id)
                                    : Uni.createFrom().voidItem();
                        })
                        .flatMap(u -> {
                            boolean securityChange = hash != null
                                    || !Objects.equals(u.roleSet(), new TreeSet<>(in.roles()))
                                    || (u.active && in.active() != null && !in.active());
                            Map<String, Object> before = audit.fields(UserView.of(u));
                            u.email = in.email().strip();
                            u.roleSet(in.roles());
                            u.active = in.active() == null || in.active();
                            if (hash != null) u.passwordHash = hash;
                            Uni<List<UUID>> ended = securityChange
                                    ? sessions.endAllSessions(u.id, "account-changed")
                                    : Uni.createFrom().item(List.of());
                            Map<String, Object> changes = Changes.diff(before, audit.fields(UserView.of(u)));
                            if (hash != null) changes.put("password", Map.of("after", "(changed)")); // never the hash
                            return ended.call(users::flush)
                                    .call(sids -> changes.isEmpty()
                                            ? Uni.createFrom().voidItem()
                                            : audit.record(
                                                    "user.update",
                                                    "user",
                                                    id,
                                                    sids.isEmpty()
                                                            ? changes
                                                            : with(changes, "sessionsEnded", sids.size())))
                                    .map(sids -> new Updated(UserView.of(u), sids));
                        })))
                .call(r -> sessions.forget(r.endedSessions()))
                .map(Updated::view);
    }

    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> lockAdmins()
                        .flatMap(x -> find(id))
                        .call(u -> u.active && u.isAdmin()
                                ? ensureAnotherAdmin(u.id)
                                : Uni.createFrom().voidItem())
                        .call(u -> audit.record(
                                "user.delete", "user", id, Changes.diff(audit.fields(UserView.of(u)), null)))
                        .flatMap(u -> sessions.endAllSessions(u.id, "user-deleted")
                                .call(sids -> RowDelete.atVersion(users, "user", u.id, u.version))))
                .flatMap(sessions::forget);
    }

    private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put(key, value);
        return out;
    }

    private Uni<User> find(UUID id) {
        return users.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("User", id));
    }

    private Uni<Void> ensureEmailFree(String email, UUID exceptId) {
        return users.emailTaken(email, exceptId).map(taken -> {
            if (taken) {
                throw ApiException.conflict(
                        "A user with this email already exists",
                        List.of(new FieldError("email", "is already used by another user", email)));
            }
            return null;
        });
    }

    private Uni<Void> ensureAnotherAdmin(UUID userId) {
        return users.countOtherActiveAdmins(userId).map(n -> {
            if (n == 0) {
                throw ApiException.conflict("This is the last active ADMIN; make another user ADMIN first", null);
            }
            return null;
        });
    }

    private Uni<Void> lockAdmins() {
        return users.lockAdminGuard();
    }

    private record Updated(UserView view, List<UUID> endedSessions) {}
}
