package dev.sluice.auth;

import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.auth.AuthDtos.Client;
import dev.sluice.auth.AuthDtos.SessionView;
import dev.sluice.auth.AuthDtos.TokenResponse;
import dev.sluice.common.ApiException;
import dev.sluice.common.Text;
import dev.sluice.common.Times;
import dev.sluice.common.UuidV7;
import dev.sluice.common.Workers;
import dev.sluice.security.PasswordHasher;
import dev.sluice.security.UserSessions;
import dev.sluice.user.User;
import dev.sluice.user.UserRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class AuthService implements UserSessions {
    private final UserRepository users;
    private final SessionRepository sessions;
    private final RefreshTokenRepository refreshTokens;
    private final PasswordHasher hasher;
    private final TokenIssuer tokens;
    private final LoginThrottle throttle;
    private final RevokedSessions revoked;
    private final AuthConfig config;
    private final Workers workers;
    private final AuditLog audit;

    public AuthService(
            UserRepository users,
            SessionRepository sessions,
            RefreshTokenRepository refreshTokens,
            PasswordHasher hasher,
            TokenIssuer tokens,
            LoginThrottle throttle,
            RevokedSessions revoked,
            AuthConfig config,
            Workers workers,
            AuditLog audit) {
        this.audit = audit;
        this.users = users;
        this.sessions = sessions;
        this.refreshTokens = refreshTokens;
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
        this.revoked = revoked;
        this.config = config;
        this.workers = workers;
    }

    public Uni<TokenResponse> login(String email, String password, Client client) {
        Actor who = new Actor(null, email, client.ip(), client.userAgent());
        return throttle.check(email, client.ip())
                .onFailure(ApiException.class)
                .call(e -> Panache.withTransaction(
                        () -> audit.record(who, "auth.locked_out", "user", null, Map.of("reason", e.getMessage()))))
                .flatMap(ok -> Panache.withTransaction(() -> users.findByEmail(email)
                        // Unknown and inactive accounts are checked against a decoy hash: same answer, same time.
                        .flatMap(user -> hasher.matches(
                                        password, user != null && user.active ? user.passwordHash : null)
                                .flatMap(matches -> matches
                                        ? throttle.recordSuccess(email).flatMap(x -> openSession(user, client))
                                        : throttle.recordFailure(email, client.ip())
                                                .call(x -> audit.record(
                                                        user == null
                                                                ? who
                                                                : new Actor(
                                                                        user.id,
                                                                        user.email,
                                                                        client.ip(),
                                                                        client.userAgent()),
                                                        "auth.login_failed",
                                                        "user",
                                                        user == null ? null : user.id,
                                                        Map.of(
                                                                "reason",
                                                                user == null
                                                                        ? "unknown email"
                                                                        : !user.active
                                                                                ? "inactive account"
                                                                                : "wrong password")))
                                                .map(x -> (TokenResponse) null)))))
                .onItem()
                .ifNull()
                .failWith(() -> new ApiException(401, "Login failed", "Invalid email or password"));
    }

    /** Rotates the refresh token. Presenting one that was already used ends its whole session. */
    public Uni<TokenResponse> refresh(String refreshToken, Client client) {
        String hash = TokenIssuer.hash(refreshToken);
        Instant now = Times.now();
        return Panache.withTransaction(() -> refreshTokens.findById(hash).flatMap(token -> {
                    if (token == null || token.expiresAt.isBefore(now))
                        return Uni.createFrom().item(Refresh.invalid());
                    return refreshTokens
                            .claim(hash, now)
                            .flatMap(won -> won
                                    ? rotate(token.sessionId, client, now)
                                    : endStolenSession(token.sessionId, now, client));
                }))
                .call(r -> r.revokedSession() == null
                        ? Uni.createFrom().voidItem()
                        : revoked.revoke(List.of(r.revokedSession())))
                .map(r -> {
                    if (r.tokens() == null) {
                        throw new ApiException(
                                401,
                                "Invalid refresh token",
                                r.reuse()
                                        ? "This refresh token was already used; the session has been ended. Log in again."
                                        : "The refresh token is invalid, expired or revoked. Log in again.");
                    }
                    return r.tokens();
                });
    }

    public Uni<Void> logout(UUID sessionId) {
        Instant now = Times.now();
        return Panache.withTransaction(() -> sessions.findById(sessionId).flatMap(s -> {
                    if (s == null || s.revokedAt != null)
                        return Uni.createFrom().voidItem();
                    s.revokedAt = now;
                    s.revokeReason = "logout";
                    return audit.record("auth.logout", "session", sessionId, null);
                }))
                .flatMap(x -> revoked.revoke(List.of(sessionId)));
    }

    public Uni<Void> logoutAll(UUID userId) {
        return Panache.withTransaction(() -> sessions.revokeAllFor(userId, "logout-all", Times.now())
                        .call(ids ->
                                audit.record("auth.logout_all", "user", userId, Map.of("sessionsEnded", ids.size()))))
                .flatMap(revoked::revoke);
    }

    /** Ends every session of a user (deactivation, deletion, role or password change); call inside a transaction. */
    @Override
    public Uni<List<UUID>> endAllSessions(UUID userId, String reason) {
        return sessions.revokeAllFor(userId, reason, Times.now());
    }

    @Override
    public Uni<Void> forget(List<UUID> sessionIds) {
        return revoked.revoke(sessionIds);
    }

    @WithSession
    public Uni<List<SessionView>> sessions(UUID userId, UUID currentSession) {
        return sessions.activeFor(userId, Times.now())
                .map(list -> list.stream()
                        .map(s -> new SessionView(
                                s.id,
                                s.createdAt,
                                s.lastUsedAt,
                                s.expiresAt,
                                s.ip,
                                s.userAgent,
                                s.id.equals(currentSession)))
                        .toList());
    }

    public Uni<Void> revokeSession(UUID userId, UUID sessionId) {
        Instant now = Times.now();
        return Panache.withTransaction(() -> sessions.findById(sessionId)
                        .map(s -> {
                            if (s == null || !s.userId.equals(userId) || !s.usable(now))
                                throw ApiException.notFound("Session", sessionId);
                            s.revokedAt = now;
                            s.revokeReason = "revoked";
                            return s.id;
                        })
                        .call(id -> audit.record("auth.session_revoke", "session", id, null)))
                .flatMap(id -> revoked.revoke(List.of(id)));
    }

    /**
     * Opens a session for a user who proved who they are another way (a sign-in code by email): the same
     * tokens, session and revocation as a password login. Call inside a transaction; {@code method} goes
     * into the login's audit entry.
     */
    public Uni<TokenResponse> signIn(User user, Client client, String method) {
        return openSession(user, client, Map.of("method", method));
    }

    private Uni<TokenResponse> openSession(User user, Client client) {
        return openSession(user, client, null);
    }

    private Uni<TokenResponse> openSession(User user, Client client, Map<String, Object> loginDetails) {
        Instant now = Times.now();
        AuthSession s = new AuthSession();
        s.id = UuidV7.next();
        s.userId = user.id;
        s.createdAt = now;
        s.lastUsedAt = now;
        s.expiresAt = now.plus(config.refreshTokenTtl());
        s.ip = client.ip();
        s.userAgent = Text.truncate(client.userAgent(), 512);
        user.lastLoginAt = now;
        return sessions.persist(s)
                .call(x -> audit.record(
                        new Actor(user.id, user.email, client.ip(), client.userAgent()),
                        "auth.login",
                        "session",
                        s.id,
                        loginDetails))
                .flatMap(x -> issue(user, s, now));
    }

    private Uni<Refresh> rotate(UUID sessionId, Client client, Instant now) {
        return sessions.findById(sessionId).flatMap(s -> {
            if (s == null || !s.usable(now)) return Uni.createFrom().item(Refresh.invalid());
            return users.findById(s.userId).flatMap(user -> {
                if (user == null || !user.active) return Uni.createFrom().item(Refresh.invalid());
                s.lastUsedAt = now;
                s.ip = client.ip();
                s.userAgent = Text.truncate(client.userAgent(), 512);
                return issue(user, s, now).map(Refresh::ok);
            });
        });
    }

    private Uni<Refresh> endStolenSession(UUID sessionId, Instant now, Client client) {
        return sessions.findById(sessionId).flatMap(s -> {
            if (s == null || s.revokedAt != null) return Uni.createFrom().item(Refresh.reused(sessionId));
            s.revokedAt = now;
            s.revokeReason = "refresh-token-reuse";
            return audit.record(
                            new Actor(s.userId, null, client.ip(), client.userAgent()),
                            "auth.session_revoke",
                            "session",
                            sessionId,
                            Map.of("reason", "refresh-token-reuse"))
                    .replaceWith(Refresh.reused(sessionId));
        });
    }

    private Uni<TokenResponse> issue(User user, AuthSession s, Instant now) {
        String refresh = tokens.newRefreshToken();
        RefreshToken row = new RefreshToken();
        row.tokenHash = TokenIssuer.hash(refresh);
        row.sessionId = s.id;
        row.createdAt = now;
        row.expiresAt = s.expiresAt;
        return refreshTokens
                .persist(row)
                .flatMap(x -> workers.call(() -> tokens.accessToken(user, s.id))) // RSA signing: off the event loop
                .map(access -> new TokenResponse(access, "Bearer", tokens.accessTokenSeconds(), refresh));
    }

    private record Refresh(TokenResponse tokens, boolean reuse, UUID revokedSession) {
        static Refresh ok(TokenResponse t) {
            return new Refresh(t, false, null);
        }

        static Refresh invalid() {
            return new Refresh(null, false, null);
        }

        static Refresh reused(UUID session) {
            return new Refresh(null, true, session);
        }
    }
}
