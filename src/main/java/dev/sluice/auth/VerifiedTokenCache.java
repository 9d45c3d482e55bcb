package dev.sluice.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The JWT parser Quarkus uses for bearer tokens, remembering tokens it has verified until they expire.
 * Checking an RS256 signature cost about a quarter of the CPU of {@code GET /api/products/{id}} under
 * load (JFR, bench/load), and a client sends the same token for its whole 15 minutes. The key is the
 * whole token string, so only the very same bytes hit; expiry is checked on every hit; revocation
 * ({@link RevocationAugmentor}) still runs on every request. Bounded: expired entries go first, and if
 * the cache is still full it starts over. Each entry is a {@link VerifiedToken}, its claims read once.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {
    static final int MAX_ENTRIES = 20_000;
    private final DefaultJWTParser delegate;
    private final ConcurrentHashMap<String, VerifiedToken> verified = new ConcurrentHashMap<>();

    public VerifiedTokenCache(DefaultJWTParser delegate) {
        this.delegate = delegate;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = System.currentTimeMillis() / 1000;
        VerifiedToken hit = verified.get(token);
        if (hit != null) {
            if (hit.expiresAt() > now) return hit;
            verified.remove(token, hit);
        }
        VerifiedToken jwt = new VerifiedToken(delegate.parse(token));
        // A token without an exp (expiresAt 0) is never remembered.
        if (jwt.expiresAt() > now) {
            if (verified.size() >= MAX_ENTRIES) evict(now);
            verified.put(token, jwt);
        }
        return jwt;
    }

    private void evict(long now) {
        verified.values().removeIf(t -> t.expiresAt() <= now);
        if (verified.size() >= MAX_ENTRIES) verified.clear();
    }

    int size() {
        return verified.size();
    }

    // Everything else is not on the request path: straight through.
    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}
