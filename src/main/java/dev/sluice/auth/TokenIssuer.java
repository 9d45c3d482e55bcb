package dev.sluice.auth;

import dev.sluice.security.CurrentUser;
import dev.sluice.user.User;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Mints access tokens (RS256 JWTs with the signing key's {@code kid}) and opaque refresh tokens. */
@ApplicationScoped
public class TokenIssuer {
    public static final String SESSION_CLAIM = CurrentUser.SESSION_CLAIM;
    /** The subject of {@link #selfToken}: a UUID no account gets (UUIDv7 ids never have version 0). */
    static final String SELF_SUBJECT = "00000000-0000-0000-0000-000000000000";

    private static final SecureRandom RANDOM = new SecureRandom();
    private final AuthConfig config;
    private final String issuer;
    private final JwtKeys keys;

    public TokenIssuer(AuthConfig config, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer, JwtKeys keys) {
        this.config = config;
        this.keys = keys;
        this.issuer = issuer;
    }

    public String accessToken(User user, UUID sessionId) {
        return sign(user.id.toString(), user.email, user.roleSet(), sessionId, config.accessTokenTtl());
    }

    /**
     * A short-lived token for this instance's requests to itself (the warm-up), with {@code roles}. Its
     * subject names no account and its session is never stored: it is never handed out, and it
     * expires within {@code ttl}.
     */
    public String selfToken(Set<String> roles, Duration ttl) {
        return sign(SELF_SUBJECT, "self@sluice.invalid", roles, UUID.randomUUID(), ttl);
    }

    private String sign(String subject, String upn, Set<String> roles, UUID sessionId, Duration ttl) {
        return keys.sign(Jwt.issuer(issuer)
                .subject(subject)
                .upn(upn)
                .groups(roles)
                .claim(SESSION_CLAIM, sessionId.toString())
                .claim("jti", UUID.randomUUID().toString())
                .expiresIn(ttl));
    }

    public long accessTokenSeconds() {
        return config.accessTokenTtl().toSeconds();
    }

    /** 256 random bits, URL-safe. */
    public String newRefreshToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String refreshToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(refreshToken.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
