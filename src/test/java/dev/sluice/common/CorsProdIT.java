package dev.sluice.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in the prod profile, started with APP_CORS_ORIGINS=https://app.example.test (pom,
 * failsafe): the variable alone turns CORS on (common/CorsSwitch), for exactly that origin.
 */
@QuarkusIntegrationTest
class CorsProdIT {

    @Test
    void appCorsOriginsAloneAllowsThatOriginInProd() {
        given().header("Origin", "https://app.example.test")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization,if-match")
                .options("/api/products")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "https://app.example.test");
        given().header("Origin", "https://other.example")
                .header("Access-Control-Request-Method", "GET")
                .options("/api/products")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void apiAnswersCarryTheSecurityHeadersInProd() {
        given().get("/api/products")
                .then()
                .statusCode(401)
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff");
    }
}
