package dev.sluice.common;

import static dev.sluice.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.sluice.support.Api;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Security headers on API responses (direct HTTP, no proxy: so no HSTS; see BehindTlsProxyTests). */
@QuarkusTest
class SecurityHeadersTests {

    @Test
    void authenticatedAnswersAreNoStoreAndNoSniff() {
        as(TestTokens.viewer())
                .get("/api/products?size=1")
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Strict-Transport-Security", nullValue());
    }

    @Test
    void aForgedForwardedProtoIsIgnoredWithoutATrustedProxy() {
        as(TestTokens.viewer())
                .header("X-Forwarded-Proto", "https")
                .get("/api/products?size=1")
                .then()
                .statusCode(200)
                .header("Strict-Transport-Security", nullValue());
    }

    @Test
    void tokensFromLoginAreNotCachedEither() {
        Api.login(Api.ADMIN_EMAIL, Api.ADMIN_PASSWORD)
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void problemAnswersCarryThemToo() {
        given().get("/api/products")
                .then()
                .statusCode(401)
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void anEtagStillAnswersIfNoneMatchWith304() {
        String sku = "HDR-" + System.nanoTime();
        var created = as(TestTokens.editor())
                .body(Map.of("sku", sku, "name", "Headers", "price", 2))
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract();
        String id = created.path("id");
        String etag = created.header("ETag");
        as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", etag)
                .header("Cache-Control", "no-store");
        as(TestTokens.viewer())
                .header("If-None-Match", etag)
                .get("/api/products/{id}", id)
                .then()
                .statusCode(304)
                .header("ETag", etag)
                .header("Cache-Control", "no-store");
    }

    @Test
    void theWebAppKeepsItsOwnCachePolicy() {
        given().get("/").then().statusCode(200).header("Cache-Control", equalTo("no-cache"));
    }
}
