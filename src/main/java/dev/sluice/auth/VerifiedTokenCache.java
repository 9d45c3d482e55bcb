package dev.sluice.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The JWT parser Quarkus uses for bearer tokens, remembering tokens it has verified until they expire.
 * Checking an RS256 signature cost about a quarter of the CPU of {@code GET /api/products/{id}} under
 * load (JFR, bench/load), and a client sends the same token for its whole 15 minutes. The key is the
 * whole token string, so only the very same bytes hit; expiry is checked on every hit; revocation
 * ({@link RevocationAugmentor}) still runs on every request. The key is picked by the token's {@code kid}
 * among {@link JwtKeys}' accepted keys, so tokens signed before a key rotation keep working. Bounded: expired entries go first, and if
 * the cache is still full it starts over. Each entry is a {@link VerifiedToken}, its claims read once.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {
    static final int MAX_ENTRIES = 20_000;
    private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]{1,128})\"");
    private final DefaultJWTParser delegate;
    private final JwtKeys keys;
    private final ConcurrentHashMap<String, VerifiedToken> verified = new ConcurrentHashMap<>();

    public VerifiedTokenCache(DefaultJWTParser delegate, JwtKeys keys) {
        this.delegate = delegate;
        this.keys = keys;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = System.currentTimeMillis() / 1000;
        VerifiedToken hit = verified.get(token);
        if (hit != null) {
            if (hit.expiresAt() > now) return hit;
            verified.remove(token, hit);
        }
        VerifiedToken jwt = new VerifiedToken(delegate.verify(token, keyFor(token)));
        // A token without an exp (expiresAt 0) is never remembered.
        if (jwt.expiresAt() > now) {
            if (verified.size() >= MAX_ENTRIES) evict(now);
            verified.put(token, jwt);
        }
        return jwt;
    }

    /**
     * The accepted key the token's {@code kid} names: the current one or a previous one (rotation). A
     * token without a {@code kid} (issued before tokens carried one) is checked against the current key;
     * an unknown {@code kid} (a removed key) is refused. The verification itself, with the issuer and
     * expiry checks, is smallrye-jwt's, against that one key.
     */
    private PublicKey keyFor(String token) throws ParseException {
        int dot = token.indexOf('.');
        if (dot < 1) throw new ParseException("not a JWS");
        String header;
        try {
            header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ParseException("malformed header");
        }
        Matcher m = KID.matcher(header);
        if (!m.find()) return keys.currentKey();
        PublicKey key = keys.forKid(m.group(1));
        if (key == null) throw new ParseException("unknown signing key");
        return key;
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
