package dev.sluice.auth;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class RefreshTokenRepository implements PanacheRepositoryBase<RefreshToken, String> {

    /** Marks the token used if nobody has; true when this caller won (two concurrent refreshes: one wins). */
    public Uni<Boolean> claim(String hash, Instant now) {
        return update("usedAt = ?1 where tokenHash = ?2 and usedAt is null", now, hash)
                .map(n -> n == 1);
    }
}
