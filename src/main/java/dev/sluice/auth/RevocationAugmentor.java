package dev.sluice.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Refuses a valid-looking token whose session was revoked (logout, theft, deactivation). */
@ApplicationScoped
public class RevocationAugmentor implements SecurityIdentityAugmentor {
    private final RevokedSessions revoked;

    public RevocationAugmentor(RevokedSessions revoked) {
        this.revoked = revoked;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object sid = jwt.getClaim(TokenIssuer.SESSION_CLAIM);
            if (sid == null || revoked.isRevoked(sid.toString())) {
                return Uni.createFrom().failure(new AuthenticationFailedException("session revoked"));
            }
        }
        return Uni.createFrom().item(identity);
    }
}
