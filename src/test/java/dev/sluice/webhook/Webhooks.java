package dev.sluice.webhook;

import static dev.sluice.support.Api.as;

import dev.sluice.support.Await;
import dev.sluice.support.TestTokens;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Helpers for webhook tests. */
final class Webhooks {
    private Webhooks() {}

    /** Removes every endpoint (and so every delivery), so tests don't see each other's events. */
    static void reset(Pool pool) {
        pool.query("delete from webhook_endpoints").execute().await().atMost(Duration.ofSeconds(10));
        pool.query("delete from webhook_events").execute().await().atMost(Duration.ofSeconds(10));
    }

    /** Creates an endpoint and returns its JSON (with the secret). */
    static JsonPath create(String url, String... events) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", url);
        body.put("events", List.of(events));
        return as(TestTokens.admin())
                .body(body)
                .post("/api/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    static JsonPath deliveries(String endpointId) {
        return as(TestTokens.admin())
                .queryParam("size", 200)
                .get("/api/webhooks/{id}/deliveries", endpointId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Polls the delivery log until one delivery matches (10 s at most); returns it. */
    static Map<String, Object> awaitDelivery(String endpointId, Predicate<Map<String, Object>> which) {
        return Await.value(
                        "a matching delivery is logged for " + endpointId,
                        Duration.ofSeconds(10),
                        Duration.ofMillis(50),
                        () -> deliveries(endpointId).<Map<String, Object>>getList("items"),
                        items -> items.stream().anyMatch(which))
                .stream()
                .filter(which)
                .findFirst()
                .orElseThrow();
    }

    static JsonPath endpoint(String id) {
        return as(TestTokens.admin())
                .get("/api/webhooks/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String product(String sku) {
        return as(TestTokens.editor())
                .body(Map.of("sku", sku, "name", "Name of " + sku, "price", 9.5, "quantity", 3))
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    static void sleep(long ms) {
        Await.pause(Duration.ofMillis(ms));
    }

    static String endpointIdFor(Pool pool, String url) {
        return pool.preparedQuery("select id from webhook_endpoints where url = $1")
                .execute(Tuple.of(url))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getUUID("id")
                .toString();
    }
}
