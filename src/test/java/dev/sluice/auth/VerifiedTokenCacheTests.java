package dev.sluice.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VerifiedTokenCacheTests {
    @Inject
    JWTParser parser;

    @Inject
    DefaultJWTParser verifier;

    @Test
    void quarkusVerifiesBearerTokensThroughTheCache() {
        assertThat(parser).isInstanceOf(VerifiedTokenCache.class);
    }

    @Test
    void aTokenVerifiedOnceIsRememberedNotVerifiedAgain() throws Exception {
        String token = TestTokens.editor();
        var first = parser.parse(token);
        assertThat(parser.parse(token)).isSameAs(first);
        // and the API accepts it through the same path
        given().auth().oauth2(token).get("/api/products?size=1").then().statusCode(200);
    }

    @Test
    void claimsComeBackAsTheVerifierReadsThem() throws Exception {
        String token = TestTokens.editor();
        var cached = parser.parse(token);
        var direct = verifier.parse(token);
        assertThat(cached.getClaimNames()).isEqualTo(direct.getClaimNames()).contains(TokenIssuer.SESSION_CLAIM);
        for (String name : direct.getClaimNames()) {
            assertThat(cached.<Object>getClaim(name)).as(name).isEqualTo(direct.getClaim(name));
        }
        assertThat(cached.getGroups()).isEqualTo(direct.getGroups()).contains("EDITOR");
        assertThat(cached.getName()).isEqualTo(direct.getName());
        assertThat(cached.<Object>getClaim("no-such-claim")).isNull();
    }

    @Test
    void aTamperedTokenIsNeverAHit() throws Exception {
        String token = TestTokens.editor();
        parser.parse(token);
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> parser.parse(tampered)).isInstanceOf(ParseException.class);
        given().auth().oauth2(tampered).get("/api/products?size=1").then().statusCode(401);
    }

    @Test
    void anExpiredTokenIsNeverServedFromTheCache() throws Exception {
        // Signed by the test key, valid for two seconds.
        String token = Jwt.issuer("https://sluice.dev")
                .subject(UUID.randomUUID().toString())
                .upn("short@sluice.local")
                .groups("VIEWER")
                .claim(TokenIssuer.SESSION_CLAIM, UUID.randomUUID().toString())
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(2))
                .sign();
        var first = parser.parse(token);
        assertThat(parser.parse(token)).isSameAs(first);
        Thread.sleep(3100);
        // Past its exp the verifier decides again (refusing it, or accepting it within its clock skew).
        JsonWebToken again;
        try {
            again = parser.parse(token);
        } catch (ParseException e) {
            again = null;
        }
        assertThat(again).isNotSameAs(first);
    }
}
