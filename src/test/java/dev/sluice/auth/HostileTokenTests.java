package dev.sluice.auth;

import static dev.sluice.support.Api.as;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Every forged, stale or foreign token is a 401 problem, never a 200 or a 500. */
@QuarkusTest
class HostileTokenTests {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static void refused(String token) {
        as(token)
                .get("/api/products")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
    }

    private static String payload(String issuer, long exp) {
        return "{\"iss\":\"" + issuer + "\",\"sub\":\"" + UUID.randomUUID() + "\",\"upn\":\"x@example.com\","
                + "\"groups\":[\"ADMIN\"],\"sid\":\"" + UUID.randomUUID() + "\",\"exp\":" + exp + ",\"iat\":"
                + Instant.now().getEpochSecond() + "}";
    }

    private static String b64(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidTokenIsAccepted() {
        as(TestTokens.viewer()).get("/api/products").then().statusCode(200);
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = TestTokens.viewer().split("\\.");
        String forged = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"VIEWER\"", "\"ADMIN\"");
        refused(parts[0] + "." + b64(forged) + "." + parts[2]);
    }

    @Test
    void tamperedSignatureIsRefused() {
        String t = TestTokens.viewer();
        char last = t.charAt(t.length() - 5);
        refused(t.substring(0, t.length() - 5) + (last == 'A' ? 'B' : 'A') + t.substring(t.length() - 4));
    }

    @Test
    void algNoneIsRefused() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        refused(header + "." + b64(payload("https://sluice.dev", Instant.now().getEpochSecond() + 600)) + ".");
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKey = Files.readAllBytes(Path.of("src/test/resources/test-keys/publicKey.pem"));
        String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
                + b64(payload("https://sluice.dev", Instant.now().getEpochSecond() + 600));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
        refused(signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void expiredTokenIsRefused() {
        refused(Jwt.issuer("https://sluice.dev")
                .subject(UUID.randomUUID().toString())
                .groups(Set.of("ADMIN"))
                .claim("sid", UUID.randomUUID().toString())
                .issuedAt(Instant.now().minusSeconds(3600))
                .expiresAt(Instant.now().minusSeconds(600))
                .sign());
    }

    @Test
    void notYetValidTokenIsRefused() {
        refused(Jwt.issuer("https://sluice.dev")
                .subject(UUID.randomUUID().toString())
                .groups(Set.of("ADMIN"))
                .claim("sid", UUID.randomUUID().toString())
                .claim("nbf", Instant.now().plusSeconds(3600).getEpochSecond())
                .expiresAt(Instant.now().plusSeconds(7200))
                .sign());
    }

    @Test
    void wrongIssuerIsRefused() {
        refused(Jwt.issuer("https://evil.example")
                .subject(UUID.randomUUID().toString())
                .groups(Set.of("ADMIN"))
                .claim("sid", UUID.randomUUID().toString())
                .expiresIn(600)
                .sign());
    }

    @Test
    void tokenWithoutASessionIsRefused() {
        refused(Jwt.issuer("https://sluice.dev")
                .subject(UUID.randomUUID().toString())
                .groups(Set.of("ADMIN"))
                .expiresIn(600)
                .sign());
    }

    @Test
    void garbageIsRefused() {
        refused("abc.def.ghi");
        refused("");
    }
}
