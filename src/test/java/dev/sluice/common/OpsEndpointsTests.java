package dev.sluice.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OpsEndpointsTests {

    @Test
    void readinessChecksPostgresRedisAndTheBucket() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("s3-bucket", "postgresql", "Redis connection health check"))
                // The Flyway-only JDBC pool is not probed: it stays closed unless the schema is behind.
                .body("checks.name", not(hasItem("Database connections health check")));
    }

    @Test
    void openApiAndMetricsAreServedWithoutAToken() {
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", Matchers.hasKey("/api/products"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }

    @Test
    void unknownApiRouteIsAProblem() {
        given().get("/api/nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void wrongMethodIsA405ProblemWithAllow() {
        given().auth()
                .oauth2(TestTokens.admin())
                .patch("/api/products")
                .then()
                .statusCode(405)
                .contentType("application/problem+json");
    }
}
