package dev.sluice.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The public keys access tokens are verified with, as an RFC 7517 JWK Set, for other services that
 * check Sluice's tokens themselves: pick the key by the token's {@code kid}. Public (it holds no secret),
 * and computed once at start-up.
 */
@Path("/.well-known")
@Tag(name = "Auth")
public class JwksResource {
    /** One RSA signing key (RFC 7517 §4, RFC 7518 §6.3.1). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Jwk(String kty, String use, String alg, String kid, String n, String e) {}

    @RegisterForReflection
    public record JwkSet(List<Jwk> keys) {}

    private final JwkSet set;

    public JwksResource(JwtKeys keys) {
        this.set = new JwkSet(keys.accepted().stream()
                .map(k -> new Jwk(
                        "RSA",
                        "sig",
                        "RS256",
                        k.kid(),
                        JwtKeys.b64(k.publicKey().getModulus()),
                        JwtKeys.b64(k.publicKey().getPublicExponent())))
                .toList());
    }

    @GET
    @Path("jwks.json")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "getJwks",
            summary = "The token verification keys (JWK Set)",
            description = "The current signing key first, then the other accepted ones (previous keys until their"
                    + " last token has expired). Tokens name their key in the kid header.")
    public RestResponse<JwkSet> jwks() {
        // Caches may keep it a few minutes: a key is accepted for a whole token lifetime before it is used.
        return RestResponse.ResponseBuilder.ok(set)
                .header("Cache-Control", "public, max-age=300")
                .build();
    }
}
