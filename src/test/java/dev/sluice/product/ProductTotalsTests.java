package dev.sluice.product;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** List totals: exact up to app.products.exact-count-limit (1,000) matches, the planner's estimate beyond. */
@QuarkusTest
class ProductTotalsTests {
    @Inject
    Pool pool;

    private static RequestSpecification editor() {
        return given().auth()
                .oauth2(TestTokens.editor())
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    private static void create(String sku, boolean active) {
        editor().body(Map.of("sku", sku, "name", "Counted " + sku, "price", 1, "quantity", 1, "active", active))
                .post("/api/products")
                .then()
                .statusCode(201);
    }

    @Test
    void totalsAreExactUpToTheLimitThenEstimated() {
        String t = "T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        for (int i = 0; i < 12; i++) create(t + "-" + i, i % 2 == 0);
        editor().queryParam("q", t)
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(12), "totalEstimated", nullValue());
        editor().queryParam("q", t)
                .queryParam("active", false)
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(6), "totalEstimated", nullValue());
        // 1,100 more straight into the table (the API would take minutes), then fresh statistics.
        pool.query("insert into products (id, sku, name) select gen_random_uuid(), '" + t + "-x' || g, 'Bulk ' || g "
                        + "from generate_series(1, 1100) g")
                .execute()
                .chain(() -> pool.query("analyze products").execute())
                .await()
                .indefinitely();
        editor().queryParam("q", t)
                .queryParam("size", 5)
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalEstimated", equalTo(true), "items", hasSize(5), "totalItems", greaterThan(1_000));
        editor().queryParam("q", t)
                .queryParam("active", true)
                .queryParam("size", 5)
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalEstimated", equalTo(true), "totalItems", greaterThan(1_000));
        // A quote in the search is a value, not SQL.
        editor().queryParam("q", t + "' or '1'='1")
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(0));
    }
}
