package dev.sluice.auth;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    public Uni<List<AuthSession>> activeFor(UUID userId, Instant now) {
        return list("userId = ?1 and revokedAt is null and expiresAt > ?2", Sort.descending("lastUsedAt"), userId, now);
    }

    /** Revokes every live session of a user; returns their ids so access tokens can be refused at once. */
    public Uni<List<UUID>> revokeAllFor(UUID userId, String reason, Instant now) {
        return activeFor(userId, now).map(sessions -> {
            sessions.forEach(s -> {
                s.revokedAt = now;
                s.revokeReason = reason;
            });
            return sessions.stream().map(s -> s.id).toList();
        });
    }
}
