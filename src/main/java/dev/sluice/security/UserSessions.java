package dev.sluice.security;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * What the user service needs from whoever keeps sign-in sessions: a change to a user's access
 * (deactivation, deletion, roles, password) must end that user's sessions at once. Auth
 * implements it, so the user package depends on this contract and never on auth.
 */
public interface UserSessions {
    /** Ends every session of the user, inside the caller's transaction; returns their ids for {@link #forget}. */
    Uni<List<UUID>> endAllSessions(UUID userId, String reason);

    /** After the commit: tells every instance to refuse these sessions' access tokens from now on. */
    Uni<Void> forget(List<UUID> sessionIds);
}
