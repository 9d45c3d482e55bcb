package dev.sluice.progress;

import dev.sluice.auth.JwtKeys;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Short-lived tokens that let a browser's EventSource (which can't send headers) follow one import
 * without putting the long-lived access token in a URL. They carry no session, so they are refused
 * as bearer tokens everywhere else.
 */
@ApplicationScoped
public class EventTokens {
    static final String SCOPE = "import-events";
    private final JWTParser parser;
    private final JwtKeys keys;
    private final String issuer;
    private final Duration ttl;

    public EventTokens(
            JWTParser parser,
            JwtKeys keys,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "app.imports.events-token-ttl", defaultValue = "60s") Duration ttl) {
        this.parser = parser;
        this.keys = keys;
        this.issuer = issuer;
        this.ttl = ttl;
    }

    public String issue(UUID jobId, String subject) {
        return keys.sign(Jwt.issuer(issuer)
                .subject(subject)
                .claim("scope", SCOPE)
                .claim("job", jobId.toString())
                .expiresIn(ttl));
    }

    public long ttlSeconds() {
        return ttl.toSeconds();
    }

    /** True when the token is ours, unexpired and scoped to this job's events. */
    public boolean allows(String token, UUID jobId) {
        try {
            JsonWebToken jwt = parser.parse(token);
            return SCOPE.equals(jwt.getClaim("scope")) && jobId.toString().equals(jwt.getClaim("job"));
        } catch (Exception e) {
            return false;
        }
    }
}
