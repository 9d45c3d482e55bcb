package dev.sluice.security;

import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller's user id and session id, from the verified access token. */
public final class CurrentUser {
    /** The access-token claim holding the session id. */
    public static final String SESSION_CLAIM = "sid";

    private CurrentUser() {}

    /** The user id ("sub"), or null for a token without one. */
    public static UUID id(SecurityContext security) {
        if (security.getUserPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            try {
                return UUID.fromString(jwt.getSubject());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** The session id ("sid"); every accepted access token has one. */
    public static UUID sessionId(SecurityContext security) {
        return UUID.fromString(((JsonWebToken) security.getUserPrincipal())
                .getClaim(SESSION_CLAIM)
                .toString());
    }
}
