package dev.sluice.common;

import static dev.sluice.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import dev.sluice.support.Api;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Production's defaults behind a TLS-terminating ingress: APP_TRUST_PROXY on, APP_CORS_ORIGINS empty.
 */
@QuarkusTest
@TestProfile(BehindTlsProxyTests.TrustedProxyNoCors.class)
class BehindTlsProxyTests {
    public static class TrustedProxyNoCors implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "%test.quarkus.http.cors.origins", "");
        }
    }

    @Test
    void overTlsAtTheProxyEveryAnswerCarriesHsts() {
        as(TestTokens.viewer())
                .header("X-Forwarded-Proto", "https")
                .get("/api/products?size=1")
                .then()
                .statusCode(200)
                .header("Strict-Transport-Security", "max-age=31536000")
                .header("Cache-Control", "no-store");
        given().header("X-Forwarded-Proto", "https")
                .get("/")
                .then()
                .statusCode(200)
                .header("Strict-Transport-Security", "max-age=31536000");
    }

    @Test
    void plainHttpGetsNoHsts() {
        as(TestTokens.viewer())
                .get("/api/products?size=1")
                .then()
                .statusCode(200)
                .header("Strict-Transport-Security", nullValue());
    }

    @Test
    void withNoOriginsListedNoOtherOriginIsAllowed() {
        given().header("Origin", "https://app.example.test")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/api/products")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
        as(TestTokens.viewer())
                .header("Origin", "https://app.example.test")
                .get("/api/products?size=1")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void theWebAppsOwnPostsStillWorkBehindTheProxy() {
        // A browser sends Origin on a same-origin POST; the ingress speaks https to it and http to us.
        Api.json()
                .header("X-Forwarded-Proto", "https")
                .header("Origin", "https://sluice.example.com")
                .header("Host", "sluice.example.com")
                .body(Map.of("email", Api.ADMIN_EMAIL, "password", Api.ADMIN_PASSWORD))
                .post("/api/auth/login")
                .then()
                .statusCode(200);
    }
}
