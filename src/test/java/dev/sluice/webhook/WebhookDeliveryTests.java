package dev.sluice.webhook;

import static dev.sluice.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.sluice.support.Await;
import dev.sluice.support.TestTokens;
import dev.sluice.support.WebhookReceiver;
import dev.sluice.support.WebhookReceiver.Received;
import dev.sluice.support.WebhookReceiver.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Delivery against a real local HTTP receiver: Standard Webhooks signatures (checked with the
 * official verifier), the shortened retry schedule, 410, Retry-After, replay, the outbox after a
 * crash, and the SSRF guard at send time.
 */
@QuarkusTest
class WebhookDeliveryTests extends WebhookTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static void verify(String secret, Received r) throws Exception {
        new Webhook(secret).verify(r.body(), r.headers());
    }

    @Test
    void productEventsAreSignedTheStandardWebhooksWay() throws Exception {
        JsonPath hook = Webhooks.create(receiver.url("/p"), "product.created", "product.updated", "product.deleted");
        String secret = hook.getString("secret");
        String sku = "WH-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Webhooks.product(sku);

        Received r = receiver.await("/p", 1, WAIT).getFirst();
        verify(secret, r);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.header("webhook-id")).startsWith("msg_");
        assertThat(Long.parseLong(r.header("webhook-timestamp")))
                .isCloseTo(Instant.now().getEpochSecond(), Offset.offset(30L));
        assertThat(r.header("webhook-signature")).startsWith("v1,").doesNotContain(" ");
        JsonPath body = new JsonPath(r.body());
        assertThat(body.getString("type")).isEqualTo("product.created");
        assertThat(Instant.parse(body.getString("timestamp")))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(body.getString("data.sku")).isEqualTo(sku);
        assertThat(body.getString("data.id")).isEqualTo(id);

        // A tampered body, another secret, or a changed id are refused by the verifier.
        assertThatThrownBy(() -> verify(
                        secret, new Received(r.path(), r.headers(), r.body().replace(sku, sku + "X"), 0)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verify(WebhookSigner.newSecret(), r)).isInstanceOf(WebhookVerificationException.class);

        // Update and delete follow, each with its own id.
        as(TestTokens.editor())
                .body(Map.of("sku", sku, "name", "Renamed", "price", 9.5, "quantity", 3))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200);
        as(TestTokens.editor()).delete("/api/products/{id}", id).then().statusCode(204);
        List<Received> all = receiver.await("/p", 3, WAIT);
        assertThat(WebhookReceiver.types(all))
                .containsExactlyInAnyOrder("product.created", "product.updated", "product.deleted");
        assertThat(all.stream().map(x -> x.header("webhook-id")).distinct()).hasSize(3);
        for (Received x : all) verify(secret, x);
        Received updated = all.stream()
                .filter(x -> x.body().contains("product.updated"))
                .findFirst()
                .orElseThrow();
        assertThat(new JsonPath(updated.body()).getString("data.name")).isEqualTo("Renamed");
    }

    @Test
    void aRestoredProductIsAnnouncedWithTheProductAsItCameBack() throws Exception {
        JsonPath hook = Webhooks.create(receiver.url("/restored"), "product.restored");
        String sku = "WR-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Webhooks.product(sku);
        as(TestTokens.editor()).delete("/api/products/{id}", id).then().statusCode(204);
        as(TestTokens.editor()).post("/api/products/{id}/restore", id).then().statusCode(201);

        Received r = receiver.await("/restored", 1, WAIT).getFirst();
        verify(hook.getString("secret"), r);
        JsonPath body = new JsonPath(r.body());
        assertThat(body.getString("type")).isEqualTo("product.restored");
        assertThat(body.getString("data.id")).isEqualTo(id);
        assertThat(body.getString("data.sku")).isEqualTo(sku);
    }

    @Test
    void deleteAllIsOneEventWithTheCount() {
        Webhooks.create(receiver.url("/all"), "products.deleted_all");
        Webhooks.product("WD-" + UUID.randomUUID().toString().substring(0, 8));
        long deleted = ((Number) as(TestTokens.admin())
                        .delete("/api/products")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("deleted"))
                .longValue();
        Received r = receiver.await("/all", 1, WAIT).getFirst();
        JsonPath body = new JsonPath(r.body());
        assertThat(body.getString("type")).isEqualTo("products.deleted_all");
        assertThat(body.getLong("data.deleted")).isEqualTo(deleted).isGreaterThanOrEqualTo(1);
    }

    @Test
    void whatDidNotHappenIsNotAnnouncedAndNoOpUpdatesAreSilent() {
        Webhooks.create(receiver.url("/t"), "*");
        String sku = "WT-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Webhooks.product(sku);
        receiver.await("/t", 1, WAIT);
        // A duplicate SKU (409), a stale If-Match (412) and an unchanged PUT change nothing: no event.
        as(TestTokens.editor())
                .body(Map.of("sku", sku.toLowerCase(), "name", "Dup", "price", 1, "quantity", 1))
                .post("/api/products")
                .then()
                .statusCode(409);
        as(TestTokens.editor())
                .header("If-Match", "\"99\"")
                .body(Map.of("sku", sku, "name", "X", "price", 1, "quantity", 1))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(412);
        as(TestTokens.editor())
                .body(Map.of("sku", sku, "name", "Name of " + sku, "price", 9.5, "quantity", 3))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .body("version", equalTo(0));
        Webhooks.sleep(1500);
        assertThat(WebhookReceiver.types(receiver.on("/t"))).containsExactly("product.created");
        assertThat(Webhooks.deliveries(Webhooks.endpointIdFor(pool, receiver.url("/t")))
                        .getInt("totalItems"))
                .isEqualTo(1);
    }

    @Test
    void retriesFollowTheScheduleWithTheSameWebhookId() {
        // Test schedule: 300 ms, 600 ms, 900 ms (± 20 %).
        receiver.then("/flaky", Reply.status(500), Reply.status(502));
        String endpoint =
                Webhooks.create(receiver.url("/flaky"), "product.created").getString("id");
        Webhooks.product("WR-" + UUID.randomUUID().toString().substring(0, 8));

        List<Received> got = receiver.await("/flaky", 3, WAIT);
        assertThat(got.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);
        assertThat(got.get(1).atMillis() - got.get(0).atMillis()).isBetween(230L, 2000L);
        assertThat(got.get(2).atMillis() - got.get(1).atMillis()).isBetween(470L, 2500L);
        // Each attempt is signed afresh: the timestamp is the attempt's.
        Map<String, Object> d = Webhooks.awaitDelivery(endpoint, x -> "succeeded".equals(x.get("status")));
        assertThat(d.get("attempt")).isEqualTo(3);
        assertThat(d.get("statusCode")).isEqualTo(200);
        assertThat(d.get("eventId")).isEqualTo(got.getFirst().header("webhook-id"));
        assertThat(d.get("nextRetryAt")).isNull();

        JsonPath detail = as(TestTokens.admin())
                .get("/api/webhooks/{id}/deliveries/{d}", endpoint, d.get("id"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(detail.getList("attemptLog.statusCode", Integer.class)).containsExactly(500, 502, 200);
        assertThat(detail.getList("attemptLog.responseTimeMs", Integer.class))
                .allSatisfy(ms -> assertThat(ms).isNotNull());
        assertThat(Webhooks.endpoint(endpoint).getString("failingSince")).isNull();
        String metrics = RestAssured.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .contains("sluice_webhook_deliveries_total{outcome=\"retrying\"}")
                .contains("sluice_webhook_deliveries_total{outcome=\"succeeded\"}");
    }

    @Test
    void aDeliveryFailsWhenTheScheduleRunsOutAndTheLogSaysWhy() {
        receiver.always("/down", new Reply(500, Map.of(), "database is down", Duration.ZERO));
        String endpoint =
                Webhooks.create(receiver.url("/down"), "product.created").getString("id");
        Webhooks.product("WF-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Object> d = Webhooks.awaitDelivery(endpoint, x -> "failed".equals(x.get("status")));
        assertThat(d.get("attempt")).isEqualTo(4); // the first try and three retries
        assertThat(d.get("statusCode")).isEqualTo(500);
        assertThat((String) d.get("error")).contains("HTTP 500").contains("database is down");
        assertThat(d.get("nextRetryAt")).isNull();
        assertThat(receiver.on("/down")).hasSize(4);
        JsonPath ep = Webhooks.endpoint(endpoint);
        assertThat(ep.getString("failingSince")).isNotNull();
        assertThat(ep.getBoolean("enabled")).isTrue(); // 5 days of failures are needed for that
    }

    @Test
    void gone410DisablesTheEndpointUntilAnAdminSwitchesItBackOn() {
        receiver.then("/gone", Reply.status(410));
        String endpoint =
                Webhooks.create(receiver.url("/gone"), "product.created").getString("id");
        Webhooks.product("WG-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Object> d = Webhooks.awaitDelivery(endpoint, x -> "failed".equals(x.get("status")));
        assertThat(d.get("attempt")).isEqualTo(1);
        JsonPath ep = Webhooks.endpoint(endpoint);
        assertThat(ep.getBoolean("enabled")).isFalse();
        assertThat(ep.getBoolean("active")).isTrue();
        assertThat(ep.getString("disabledReason")).contains("410");

        // Disabled: new events are not queued for it.
        Webhooks.product("WG-" + UUID.randomUUID().toString().substring(0, 8));
        Webhooks.sleep(1200);
        assertThat(receiver.on("/gone")).hasSize(1);
        assertThat(Webhooks.deliveries(endpoint).getInt("totalItems")).isEqualTo(1);
        as(TestTokens.admin())
                .queryParam("status", "failed")
                .get("/api/webhooks/{id}/deliveries", endpoint)
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(1));
        as(TestTokens.admin())
                .queryParam("status", "dead")
                .get("/api/webhooks/{id}/deliveries", endpoint)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "errors[0].field",
                        equalTo("status"),
                        "errors[0].message",
                        equalTo("must be one of pending, succeeded, failed"));

        // Switched back on, it receives again.
        as(TestTokens.admin())
                .body(Map.of("url", receiver.url("/gone"), "events", List.of("product.created"), "active", true))
                .put("/api/webhooks/{id}", endpoint)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true));
        Webhooks.product("WG-" + UUID.randomUUID().toString().substring(0, 8));
        receiver.await("/gone", 2, WAIT);
    }

    @Test
    void failingForLongerThanTheLimitDisablesTheEndpoint() {
        receiver.always("/long", Reply.status(503));
        String endpoint =
                Webhooks.create(receiver.url("/long"), "product.created").getString("id");
        // As if every delivery had failed for six days (the limit is five).
        pool.preparedQuery("update webhook_endpoints set failing_since = now() - interval '6 days' where id = $1")
                .execute(Tuple.of(UUID.fromString(endpoint)))
                .await()
                .atMost(WAIT);
        Webhooks.product("WL-" + UUID.randomUUID().toString().substring(0, 8));
        receiver.await("/long", 1, WAIT);
        Await.until(
                "the endpoint is disabled",
                Duration.ofSeconds(5),
                () -> !Webhooks.endpoint(endpoint).getBoolean("enabled"));
        JsonPath ep = Webhooks.endpoint(endpoint);
        assertThat(ep.getBoolean("enabled")).isFalse();
        assertThat(ep.getString("disabledReason")).startsWith("Every delivery has failed since");
    }

    @Test
    void retryAfterOn503IsHonoured() {
        receiver.then("/busy", new Reply(503, Map.of("Retry-After", "2"), "", Duration.ZERO));
        Webhooks.create(receiver.url("/busy"), "product.created");
        Webhooks.product("WA-" + UUID.randomUUID().toString().substring(0, 8));
        List<Received> got = receiver.await("/busy", 2, WAIT);
        // The schedule alone would retry after ~300 ms.
        assertThat(got.get(1).atMillis() - got.get(0).atMillis()).isGreaterThanOrEqualTo(1900L);
    }

    @Test
    void redirectsAreNotFollowedAndSlowReceiversTimeOut() {
        receiver.always("/moved", new Reply(302, Map.of("Location", "http://127.0.0.2:9/inside"), "", Duration.ZERO));
        String moved = Webhooks.create(receiver.url("/moved"), "*").getString("id");
        JsonPath r = as(TestTokens.admin())
                .post("/api/webhooks/{id}/test", moved)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(r.getBoolean("success")).isFalse();
        assertThat(r.getInt("statusCode")).isEqualTo(302);
        assertThat(r.getString("error")).contains("not followed");
        assertThat(receiver.on("/moved")).hasSize(1);

        receiver.always("/slow", new Reply(200, Map.of(), "", Duration.ofSeconds(5))); // test timeout: 3 s
        String slow = Webhooks.create(receiver.url("/slow"), "*").getString("id");
        long start = System.currentTimeMillis();
        JsonPath t = as(TestTokens.admin())
                .post("/api/webhooks/{id}/test", slow)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(System.currentTimeMillis() - start).isBetween(2500L, 4900L);
        assertThat(t.getBoolean("success")).isFalse();
        assertThat(t.getString("error")).contains("No response within");
    }

    @Test
    void rotatedSecretsSignTwiceUntilTheOldOneExpires() throws Exception {
        JsonPath hook = Webhooks.create(receiver.url("/rot"), "product.created");
        String oldSecret = hook.getString("secret");
        String newSecret = as(TestTokens.admin())
                .post("/api/webhooks/{id}/rotate-secret", hook.getString("id"))
                .then()
                .statusCode(200)
                .extract()
                .path("secret");
        Webhooks.product("WS-" + UUID.randomUUID().toString().substring(0, 8));
        Received r = receiver.await("/rot", 1, WAIT).getFirst();
        assertThat(r.header("webhook-signature").split(" "))
                .hasSize(2)
                .allSatisfy(s -> assertThat(s).startsWith("v1,"));
        assertThatCode(() -> verify(newSecret, r)).doesNotThrowAnyException();
        assertThatCode(() -> verify(oldSecret, r)).doesNotThrowAnyException();

        // Once the old secret has expired, only the new one signs.
        pool.preparedQuery(
                        "update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = $1")
                .execute(Tuple.of(UUID.fromString(hook.getString("id"))))
                .await()
                .atMost(WAIT);
        Webhooks.product("WS-" + UUID.randomUUID().toString().substring(0, 8));
        Received later = receiver.await("/rot", 2, WAIT).get(1);
        assertThat(later.header("webhook-signature").split(" ")).hasSize(1);
        assertThatCode(() -> verify(newSecret, later)).doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(oldSecret, later)).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void testEventIsSentNowAndReplayResendsTheSameMessage() throws Exception {
        JsonPath hook = Webhooks.create(receiver.url("/tst"), "product.created");
        String endpoint = hook.getString("id");
        JsonPath result = as(TestTokens.admin())
                .post("/api/webhooks/{id}/test", endpoint)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(result.getBoolean("success")).isTrue();
        assertThat(result.getInt("statusCode")).isEqualTo(200);
        assertThat(result.getString("eventType")).isEqualTo("test");
        Received first = receiver.on("/tst").getFirst(); // already there: the call waited for the attempt
        verify(hook.getString("secret"), first);
        assertThat(new JsonPath(first.body()).getString("type")).isEqualTo("test");
        assertThat(first.header("webhook-id")).isEqualTo(result.getString("eventId"));

        String delivery = result.getString("deliveryId");
        JsonPath replay = as(TestTokens.admin())
                .post("/api/webhooks/{id}/deliveries/{d}/retry", endpoint, delivery)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(replay.getInt("attempt")).isEqualTo(2);
        assertThat(replay.getBoolean("success")).isTrue();
        Received again = receiver.on("/tst").get(1);
        assertThat(again.header("webhook-id")).isEqualTo(first.header("webhook-id"));
        assertThat(again.body()).isEqualTo(first.body());

        // A failing receiver: the test reports it, and a test never counts against the endpoint.
        receiver.then("/tst", Reply.status(500));
        JsonPath failed = as(TestTokens.admin())
                .post("/api/webhooks/{id}/test", endpoint)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(failed.getBoolean("success")).isFalse();
        assertThat(failed.getInt("statusCode")).isEqualTo(500);
        assertThat(Webhooks.endpoint(endpoint).getString("failingSince")).isNull();

        as(TestTokens.admin())
                .post("/api/webhooks/{id}/deliveries/{d}/retry", endpoint, UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aDeliveryClaimedByAnInstanceThatCrashedIsSentAfterItsLeaseRunsOut() {
        String endpoint =
                Webhooks.create(receiver.url("/crash"), "product.created").getString("id");
        // What a crash right after commit leaves: the event and its delivery, held by a sender that is gone.
        var row = pool.preparedQuery("""
                        with ev as (
                            insert into webhook_events (id, type, payload)
                            values (gen_random_uuid(), 'product.created',
                                    '{"type":"product.created","timestamp":"2026-11-22T00:00:00Z","data":{"sku":"CRASH-1"}}')
                            returning id)
                        insert into webhook_deliveries (id, event_id, endpoint_id, event_type, locked_by, locked_until)
                        select gen_random_uuid(), ev.id, $1, 'product.created', 'crashed-host/0', now() + interval '1500 milliseconds'
                        from ev returning event_id""")
                .execute(Tuple.of(UUID.fromString(endpoint)))
                .await()
                .atMost(WAIT)
                .iterator()
                .next();
        String messageId = WebhookSigner.messageId(row.getUUID("event_id"));
        Webhooks.sleep(1000);
        assertThat(receiver.on("/crash")).isEmpty(); // still leased by the dead sender
        Received r = receiver.await("/crash", 1, WAIT).getFirst();
        assertThat(r.header("webhook-id")).isEqualTo(messageId);
        assertThat(r.body()).contains("CRASH-1");
        Webhooks.awaitDelivery(endpoint, d -> "succeeded".equals(d.get("status")));
    }

    @Test
    void theGuardIsAppliedAgainAtSendTime() throws Exception {
        // An address that was allowed when saved but isn't now (as after a DNS change): nothing is sent.
        try (WebhookReceiver inside = WebhookReceiver.startOn("127.0.0.2")) {
            String endpoint =
                    Webhooks.create(receiver.url("/ok"), "product.created").getString("id");
            pool.preparedQuery("update webhook_endpoints set url = $2 where id = $1")
                    .execute(Tuple.of(UUID.fromString(endpoint), inside.url("internal.sluice.test", "/x")))
                    .await()
                    .atMost(WAIT);
            Webhooks.product("WN-" + UUID.randomUUID().toString().substring(0, 8));
            Map<String, Object> d = Webhooks.awaitDelivery(endpoint, x -> x.get("error") != null);
            assertThat((String) d.get("error")).contains("Refused").contains("127.0.0.2");
            assertThat(d.get("statusCode")).isNull();
            Webhooks.sleep(500);
            assertThat(inside.on("/x")).isEmpty();
        }
    }

    @Test
    void perEndpointConcurrencyIsCapped() {
        receiver.always("/cap", new Reply(200, Map.of(), "", Duration.ofMillis(300)));
        Webhooks.create(receiver.url("/cap"), "product.created");
        for (int i = 0; i < 12; i++)
            Webhooks.product("WC-" + i + "-" + UUID.randomUUID().toString().substring(0, 6));
        receiver.await("/cap", 12, Duration.ofSeconds(20));
        assertThat(receiver.maxConcurrent()).isBetween(1, 4);
    }
}
