package dev.sluice.webhook;

import static dev.sluice.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import dev.sluice.common.RetentionJobs;
import dev.sluice.secrets.SecretBox;
import dev.sluice.support.Await;
import dev.sluice.support.Db;
import dev.sluice.support.TestTokens;
import dev.sluice.support.WebhookReceiver.Received;
import dev.sluice.support.WebhookReceiver.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Signing secrets at rest: sealed with AES-256-GCM under APP_SECRETS_KEY (the test profile's current
 * key is {@code test-2}, its previous one {@code test-1}), re-sealed by the webhook-secrets job, and an
 * instance whose keys can't open a stored secret is not ready and changes nothing.
 */
@QuarkusTest
class WebhookSecretsTests extends WebhookTestBase {
    static final String TEST_1 = "test-1:dGVzdC1rZXktb25lLXRoaXJ0eS10d28tYnl0ZXMtISE=";
    static final String TEST_2 = "test-2:dGVzdC1rZXktdHdvLXRoaXJ0eS10d28tYnl0ZXMtISE=";

    @Inject
    RetentionJobs jobs;

    @Inject
    WebhookSecrets secrets;

    private static <T> T await(Supplier<Uni<T>> uni) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(uni);
    }

    private Row row(String id) {
        return pool.preparedQuery("select secret, previous_secret from webhook_endpoints where id = $1")
                .execute(Tuple.of(UUID.fromString(id)))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
    }

    private void store(String id, String secret, String previous) {
        pool.preparedQuery("update webhook_endpoints set secret = $2, previous_secret = $3 where id = $1")
                .execute(Tuple.of(UUID.fromString(id), secret, previous))
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    private long plaintextRows() {
        return Db.scalar("select count(*) from webhook_endpoints"
                + " where secret like '%whsec_%' or previous_secret like '%whsec_%'");
    }

    private Received sendTest(String id, String path) {
        as(TestTokens.admin())
                .post("/api/webhooks/{id}/test", id)
                .then()
                .statusCode(200)
                .body("success", org.hamcrest.Matchers.is(true));
        List<Received> got = receiver.on(path);
        return got.get(got.size() - 1);
    }

    private static void verify(String secret, Received r) throws Exception {
        new Webhook(secret.replace("whsec_", "")).verify(r.body(), r.headers());
    }

    @Test
    void theDatabaseHoldsNoPlaintextSecretAndDeliveriesStillVerify() throws Exception {
        receiver.always("/hook", Reply.status(200));
        JsonPath hook = Webhooks.create(receiver.url("/hook"), "*");
        String id = hook.getString("id");
        String first = hook.getString("secret");
        assertThat(first).startsWith("whsec_");
        String second = as(TestTokens.admin())
                .post("/api/webhooks/{id}/rotate-secret", id)
                .then()
                .statusCode(200)
                .extract()
                .path("secret");

        Row stored = row(id);
        assertThat(stored.getString("secret")).startsWith("enc:v1:test-2:").doesNotContain(second);
        assertThat(stored.getString("previous_secret"))
                .startsWith("enc:v1:test-2:")
                .doesNotContain(first);
        assertThat(plaintextRows()).isZero();
        // Nor the base64 key without its prefix.
        assertThat(stored.getString("secret")).doesNotContain(second.substring("whsec_".length()));

        Received r = sendTest(id, "/hook");
        verify(second, r);
        verify(first, r); // the rotated-out secret still signs beside the new one
    }

    @Test
    void plaintextRowsFromBeforeEncryptionAreSealedByTheJobAndKeepSigning() throws Throwable {
        receiver.always("/legacy", Reply.status(200));
        String id = Webhooks.create(receiver.url("/legacy"), "*").getString("id");
        String legacy = WebhookSigner.newSecret();
        store(id, legacy, null); // as a row written before secrets were encrypted
        assertThat(plaintextRows()).isEqualTo(1);

        var result = await(() -> jobs.run(WebhookSecrets.JOB, Duration.ZERO));
        assertThat(result.ran()).isTrue();
        assertThat(result.removed()).as("rows re-sealed").isEqualTo(1);
        assertThat(plaintextRows()).isZero();
        assertThat(row(id).getString("secret")).startsWith("enc:v1:test-2:");
        verify(legacy, sendTest(id, "/legacy"));
    }

    @Test
    void rotationReSealsUnderTheCurrentKeyAndThenThePreviousKeyCanBeDropped() throws Throwable {
        receiver.always("/rotated", Reply.status(200));
        String id = Webhooks.create(receiver.url("/rotated"), "*").getString("id");
        String secret = WebhookSigner.newSecret(), previous = WebhookSigner.newSecret();
        SecretBox oldKey = new SecretBox(TEST_1, List.of());
        store(id, oldKey.seal(secret, id), oldKey.seal(previous, id));

        // Sealed under the previous key: still ready, still signing.
        given().get("/q/health/ready").then().statusCode(200);
        verify(secret, sendTest(id, "/rotated"));

        var result = await(() -> jobs.run(WebhookSecrets.JOB, Duration.ZERO));
        assertThat(result.removed()).isEqualTo(1);
        Row stored = row(id);
        assertThat(stored.getString("secret")).startsWith("enc:v1:test-2:");
        assertThat(stored.getString("previous_secret")).startsWith("enc:v1:test-2:");
        // The current key alone opens everything now: test-1 can leave APP_SECRETS_PREVIOUS_KEYS.
        SecretBox currentOnly = new SecretBox(TEST_2, List.of());
        assertThat(currentOnly.open(stored.getString("secret"), id)).isEqualTo(secret);
        assertThat(currentOnly.open(stored.getString("previous_secret"), id)).isEqualTo(previous);
        assertThatThrownBy(() -> oldKey.open(stored.getString("secret"), id)).isInstanceOf(SecretBox.Unreadable.class);
        // A second run has nothing left to do.
        assertThat(await(() -> jobs.run(WebhookSecrets.JOB, Duration.ZERO)).removed())
                .isZero();
        verify(secret, sendTest(id, "/rotated"));
    }

    @Test
    void aKeyThatCannotOpenAStoredSecretFailsReadinessAndLosesNothing() throws Throwable {
        receiver.always("/locked", Reply.status(200));
        String id = Webhooks.create(receiver.url("/locked"), "*").getString("id");
        String secret = WebhookSigner.newSecret();
        // Sealed under a key this instance doesn't have: same id "test-2", other bytes (a wrong APP_SECRETS_KEY).
        String foreign = new SecretBox(
                        "test-2:" + java.util.Base64.getEncoder().encodeToString(new byte[32]), List.of())
                .seal(secret, id);
        store(id, foreign, null);
        try {
            assertThat(await(() -> secrets.check()).ok()).isFalse();
            Response ready = given().get("/q/health/ready");
            ready.then().statusCode(503);
            assertThat(ready.jsonPath().getString("checks.find { it.name == 'webhook-secrets' }.status"))
                    .isEqualTo("DOWN");
            assertThat(ready.jsonPath().getString("checks.find { it.name == 'webhook-secrets' }.data.error"))
                    .contains(id)
                    .contains("does not open it");

            // The job refuses to touch anything, and no delivery is signed or sent with a wrong key.
            assertThatThrownBy(() -> await(() -> jobs.run(WebhookSecrets.JOB, Duration.ZERO)));
            as(TestTokens.admin()).post("/api/webhooks/{id}/test", id).then().statusCode(503);
            Webhooks.product("LOCKED-" + UUID.randomUUID().toString().substring(0, 8));
            Webhooks.sleep(1500);
            assertThat(receiver.on("/locked")).isEmpty();
            assertThat(row(id).getString("secret")).isEqualTo(foreign);
        } finally {
            // The right key back (here: the value it can open): ready again, and the waiting event goes out.
            store(id, new SecretBox(TEST_2, List.of()).seal(secret, id), null);
        }
        Await.until(
                "ready again",
                Duration.ofSeconds(10),
                () -> given().get("/q/health/ready").statusCode() == 200);
        Map<String, Object> sent = Webhooks.awaitDelivery(
                id, d -> "product.created".equals(d.get("eventType")) && "succeeded".equals(d.get("status")));
        assertThat(sent).isNotNull();
        verify(secret, receiver.on("/locked").get(0));
    }
}
