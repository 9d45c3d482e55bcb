package dev.sluice.webhook;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoint management: CRUD, validation, roles, the SSRF guard at save time, secrets. */
@QuarkusTest
class WebhookResourceTests extends WebhookTestBase {
    @Test
    void createShowsTheSecretOnceAndReadsNeverShowIt() {
        JsonPath created = Webhooks.create(receiver.url("/hook"), "product.created", "import.completed");
        String id = created.getString("id");
        String secret = created.getString("secret");
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);
        assertThat(created.getBoolean("enabled")).isTrue();
        assertThat(created.getList("events", String.class)).containsExactly("product.created", "import.completed");

        as(TestTokens.admin())
                .get("/api/webhooks/{id}", id)
                .then()
                .statusCode(200)
                .body("secret", nullValue())
                .body("url", equalTo(receiver.url("/hook")))
                .body("enabled", equalTo(true));
        as(TestTokens.admin())
                .get("/api/webhooks")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(id))
                .body("items[0].secret", nullValue())
                .body("totalItems", equalTo(1));
    }

    @Test
    void updateDeleteAndSwitchingOffShowWhyItIsNotEnabled() {
        String id = Webhooks.create(receiver.url("/a"), "*").getString("id");
        as(TestTokens.admin())
                .body(Map.of(
                        "url",
                        receiver.url("/b"),
                        "events",
                        List.of("product.deleted"),
                        "active",
                        false,
                        "description",
                        "ERP sync"))
                .put("/api/webhooks/{id}", id)
                .then()
                .statusCode(200)
                .body("url", equalTo(receiver.url("/b")))
                .body("active", equalTo(false))
                .body("enabled", equalTo(false))
                .body("disabledReason", containsString("active: false"))
                .body("description", equalTo("ERP sync"));
        as(TestTokens.admin()).delete("/api/webhooks/{id}", id).then().statusCode(204);
        as(TestTokens.admin())
                .get("/api/webhooks/{id}", id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void invalidInputGetsFieldErrors() {
        as(TestTokens.admin())
                .body(Map.of("url", "ftp://example.com/x", "events", List.of("product.created", "nope")))
                .post("/api/webhooks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("url"))
                .body("errors.field", hasItem("events[1]"))
                .body("errors.find { it.field == 'url' }.message", containsString("http or https"));
        as(TestTokens.admin())
                .body(Map.of("url", receiver.url("/x"), "events", List.of()))
                .post("/api/webhooks")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("events"));
        as(TestTokens.admin())
                .body(Map.of("url", "http://user:pw@127.0.0.1/x", "events", List.of("*")))
                .post("/api/webhooks")
                .then()
                .statusCode(400)
                .body("errors[0].message", containsString("credentials"));
    }

    @Test
    void onlyAdminsManageWebhooks() {
        as(TestTokens.editor()).get("/api/webhooks").then().statusCode(403).contentType("application/problem+json");
        as(TestTokens.viewer())
                .body(Map.of("url", receiver.url("/x"), "events", List.of("*")))
                .post("/api/webhooks")
                .then()
                .statusCode(403);
        json().get("/api/webhooks").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void theGuardRefusesNonPublicAddressesOutsideTheAllowList() {
        // Test profile: only 127.0.0.1/32 is allowed. Nothing is sent anywhere by these calls.
        for (String url : List.of(
                "http://127.0.0.2:9/x",
                "http://internal.sluice.test:9/x",
                "http://[::1]:9/x",
                "http://169.254.169.254/latest/meta-data/",
                "http://metadata.sluice.test/x",
                "http://private.sluice.test/x",
                "http://10.0.0.1/x",
                "http://192.168.1.1/x",
                "http://172.16.0.1/x",
                "http://0.0.0.0:9/x",
                "http://224.0.0.1/x",
                "http://100.64.0.1/x",
                "http://[::ffff:127.0.0.2]:9/x",
                "http://[fd00::1]/x",
                "http://mixed.sluice.test:9/x")) {
            as(TestTokens.admin())
                    .body(Map.of("url", url, "events", List.of("*")))
                    .post("/api/webhooks")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("url"))
                    .body("errors[0].message", startsWith("resolves to"));
        }
        as(TestTokens.admin())
                .body(Map.of("url", "http://nowhere.sluice.test/x", "events", List.of("*")))
                .post("/api/webhooks")
                .then()
                .statusCode(422)
                .body("errors[0].message", containsString("does not resolve"));
        // Inside the allow-list, by address or by a name resolving to it.
        Webhooks.create("http://127.0.0.1:9/x", "*");
        Webhooks.create("http://receiver.sluice.test:9/x", "*");
        // An update is checked too.
        String id = Webhooks.create(receiver.url("/x"), "*").getString("id");
        as(TestTokens.admin())
                .body(Map.of("url", "http://internal.sluice.test/x", "events", List.of("*")))
                .put("/api/webhooks/{id}", id)
                .then()
                .statusCode(422);
    }

    @Test
    void rotateReturnsANewSecretAndKeepsTheOldOneFor24Hours() {
        JsonPath created = Webhooks.create(receiver.url("/r"), "*");
        String id = created.getString("id");
        JsonPath rotated = as(TestTokens.admin())
                .post("/api/webhooks/{id}/rotate-secret", id)
                .then()
                .statusCode(200)
                .body("secret", startsWith("whsec_"))
                .body("secret", not(equalTo(created.getString("secret"))))
                .extract()
                .jsonPath();
        Instant until = Instant.parse(rotated.getString("previousSecretExpiresAt"));
        assertThat(until)
                .isBetween(Instant.now().plusSeconds(23 * 3600), Instant.now().plusSeconds(24 * 3600 + 60));
        as(TestTokens.admin())
                .get("/api/webhooks/{id}", id)
                .then()
                .body("previousSecretExpiresAt", equalTo(rotated.getString("previousSecretExpiresAt")));
    }

    @Test
    void eventTypesAreListed() {
        as(TestTokens.admin())
                .get("/api/webhooks/event-types")
                .then()
                .statusCode(200)
                .body("", hasItem("products.imported"))
                .body("", hasItem("product.created"));
    }
}
