package dev.sluice.support;

import static dev.sluice.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.arc.Arc;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starting and awaiting imports through the API. */
public final class Imports {
    /** The WooCommerce sample export's columns for the product fields (src/test/resources/samples). */
    public static final java.util.Map<String, Object> WOO_MAPPING = java.util.Map.of(
            "sku",
            "SKU",
            "name",
            "Name",
            "description",
            "Description",
            "price",
            "Regular price",
            "quantity",
            "Stock",
            "active",
            "Published");

    private Imports() {}

    public static String start(String objectKey, Map<String, Object> options) {
        Map<String, Object> body = new HashMap<>();
        body.put("objectKey", objectKey);
        if (options != null) body.put("options", options);
        return as(TestTokens.editor())
                .body(body)
                .post("/api/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** Polls until the job is completed, failed or cancelled (at most 60 s). */
    public static JsonPath await(String id) {
        return Await.value(
                "import " + id + " finished",
                Duration.ofSeconds(60),
                Duration.ofMillis(100),
                () -> as(TestTokens.viewer())
                        .get("/api/imports/{id}", id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                job -> !job.getString("status").equals("queued")
                        && !job.getString("status").equals("running"));
    }

    public static JsonPath completed(String id) {
        JsonPath job = await(id);
        assertThat(job.getString("status"))
                .as("status (error: %s)", job.getString("errorMessage"))
                .isEqualTo("completed");
        return job;
    }

    /** The product with this SKU (any case), or null. */
    public static Map<String, Object> product(String sku) {
        return as(TestTokens.viewer())
                .queryParam("sku", sku)
                .get("/api/products")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0]");
    }

    /**
     * Products whose SKU or name contains the prefix, counted in the table: the list API's total is
     * only exact up to its exact-count limit (1,000), and these tests import more.
     */
    public static long countWithPrefix(String prefix) {
        return Db.scalar(
                "select count(*) from products where strpos(lower(sku), lower($1)) > 0 or strpos(lower(name), lower($1)) > 0",
                prefix);
    }

    /** A checksum of the products imported under a prefix, with the prefix taken out of the SKU: equal tables give equal sums. */
    public static String checksum(String prefix) {
        Pool pool = Arc.container().instance(Pool.class).get();
        return pool.preparedQuery("""
                        select count(*) || ':' || md5(string_agg(replace(sku, $1, '') || '|' || name || '|' || coalesce(description, '')
                            || '|' || coalesce(price::text, '') || '|' || quantity || '|' || active, ',' order by lower(replace(sku, $1, ''))))
                        from products where sku like $1 || '-%'""")
                .execute(Tuple.of(prefix))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString(0);
    }
}
