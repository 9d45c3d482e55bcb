package dev.sluice.auth;

import static dev.sluice.support.Api.ADMIN_EMAIL;
import static dev.sluice.support.Api.ADMIN_PASSWORD;
import static dev.sluice.support.Api.login;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/**
 * Signing keys rotate: tokens name their key ({@code kid}), the current key and the previous one
 * (test-keys/previousPublicKey.pem, listed in JWT_ACCEPTED_PUBLIC_KEY_LOCATIONS by the test profile)
 * are accepted and published as a JWK Set, and a key no longer listed (test-keys/removed*) is refused.
 */
@QuarkusTest
class JwtKeyRotationTests {
    private static final String PROBLEM = "application/problem+json";

    /** test-keys/privateKey.pem for the current key (""), test-keys/previousPrivateKey.pem, … */
    private static String file(String name, String kind) {
        return "test-keys/" + (name.isEmpty() ? Character.toLowerCase(kind.charAt(0)) + kind.substring(1) : name + kind)
                + ".pem";
    }

    private static PrivateKey privateKey(String name) throws Exception {
        return KeyUtils.readPrivateKey(file(name, "PrivateKey"));
    }

    private static String kid(String name) throws Exception {
        var key = new RsaJsonWebKey(
                (java.security.interfaces.RSAPublicKey) KeyUtils.readPublicKey(file(name, "PublicKey")));
        return key.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    private static String viewerToken(String keyName, String kid) throws Exception {
        var builder = Jwt.issuer("https://sluice.dev")
                .subject(UUID.randomUUID().toString())
                .upn("rotation@sluice.local")
                .groups(Set.of("VIEWER"))
                .claim("sid", UUID.randomUUID().toString())
                .expiresIn(600)
                .jws();
        if (kid != null) builder.keyId(kid);
        return builder.sign(privateKey(keyName));
    }

    private static Response products(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/products?size=1");
    }

    private static Map<?, ?> header(String token) {
        String json = new String(
                Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        return JsonPath.from(json).getMap("");
    }

    @Test
    void issuedTokensNameTheirKeyAndTheJwkSetPublishesTheAcceptedKeys() throws Exception {
        String token = login(ADMIN_EMAIL, ADMIN_PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        assertThat(header(token).get("kid")).isEqualTo(kid(""));
        assertThat(header(token).get("alg")).isEqualTo("RS256");

        // Public, no token needed.
        Response r = given().get("/.well-known/jwks.json");
        r.then().statusCode(200).contentType("application/json");
        assertThat(r.header("Cache-Control")).contains("max-age");
        List<Map<String, Object>> keys = r.jsonPath().getList("keys");
        assertThat(keys).extracting(k -> k.get("kid")).containsExactly(kid(""), kid("previous"));
        assertThat(keys).allSatisfy(k -> {
            assertThat(k)
                    .containsEntry("kty", "RSA")
                    .containsEntry("use", "sig")
                    .containsEntry("alg", "RS256");
            assertThat(k).containsKeys("n", "e").doesNotContainKeys("d", "p", "q");
        });

        // Another service verifies Sluice's token with the published set alone.
        JsonWebKeySet set = new JsonWebKeySet(r.asString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        JsonWebKey key = set.findJsonWebKey(jws.getKeyIdHeaderValue(), "RSA", "sig", "RS256");
        assertThat(key).isNotNull();
        jws.setKey(key.getKey());
        assertThat(jws.verifySignature()).isTrue();
    }

    @Test
    void aTokenSignedByThePreviousKeyStillWorks() throws Exception {
        products(viewerToken("previous", kid("previous"))).then().statusCode(200);
        // And one from the current key, as before.
        products(viewerToken("", kid(""))).then().statusCode(200);
    }

    @Test
    void aTokenSignedByARemovedKeyGets401() throws Exception {
        products(viewerToken("removed", kid("removed"))).then().statusCode(401).contentType(PROBLEM);
        // Claiming an accepted key's id doesn't help: the signature is checked with that key.
        products(viewerToken("removed", kid(""))).then().statusCode(401).contentType(PROBLEM);
        products(viewerToken("removed", kid("previous"))).then().statusCode(401).contentType(PROBLEM);
        // Without a kid only the current key is tried.
        products(viewerToken("removed", null)).then().statusCode(401).contentType(PROBLEM);
        products(viewerToken("previous", null)).then().statusCode(401).contentType(PROBLEM);
    }
}
