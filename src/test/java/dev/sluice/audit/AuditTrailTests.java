package dev.sluice.audit;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Api.json;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.support.Api;
import dev.sluice.support.Csv;
import dev.sluice.support.RedisReset;
import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every mutation and security event leaves one audit entry, in the transaction of the change. */
@QuarkusTest
class AuditTrailTests {
    @Inject
    S3Files s3;

    @Inject
    RedisReset redis;

    @BeforeEach
    void clearLoginCounters() {
        redis.clearLoginFailures();
    }

    private static List<Map<String, Object>> entries(Map<String, ?> filters) {
        var req = as(TestTokens.admin()).queryParam("size", 200);
        filters.forEach(req::queryParam);
        return req.get("/api/audit").then().statusCode(200).extract().jsonPath().getList("items");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> changes(Map<String, Object> entry) {
        return (Map<String, Object>) entry.get("changes");
    }

    @Test
    void productChangesRecordWhoWhatAndFromWhere() {
        Map<String, String> editor = Api.newUser("EDITOR");
        String token =
                (String) Api.tokens(editor.get("email"), editor.get("password")).get("accessToken");
        String sku = "AU-" + UUID.randomUUID().toString().substring(0, 8);
        String id = as(token)
                .header("User-Agent", "audit-test/1.0")
                .body(Map.of("sku", sku, "name", "Before", "price", 10, "quantity", 1))
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // A refused change (409) leaves nothing; an unchanged PUT neither.
        as(token)
                .body(Map.of("sku", sku.toLowerCase(), "name", "Dup", "quantity", 1))
                .post("/api/products")
                .then()
                .statusCode(409);
        as(token)
                .body(Map.of("sku", sku, "name", "Before", "price", 10, "quantity", 1))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200);
        as(token)
                .body(Map.of("sku", sku, "name", "After", "price", 12.5, "quantity", 1))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200);
        as(token).delete("/api/products/{id}", id).then().statusCode(204);

        List<Map<String, Object>> log = entries(Map.of("entity", "product", "entityId", id));
        assertThat(log)
                .extracting(e -> e.get("action"))
                .containsExactly("product.delete", "product.update", "product.create");
        Map<String, Object> created = log.get(2);
        assertThat(created.get("actorId")).isEqualTo(editor.get("id"));
        assertThat(created.get("actorEmail")).isEqualTo(editor.get("email"));
        assertThat(created.get("userAgent")).isEqualTo("audit-test/1.0");
        assertThat(created.get("ip")).isEqualTo("127.0.0.1");
        assertThat(changes(created))
                .containsEntry("sku", Map.of("after", sku))
                .containsKey("name")
                .doesNotContainKey("version");

        Map<String, Object> updated = changes(log.get(1));
        assertThat(updated.keySet()).containsExactlyInAnyOrder("name", "price");
        assertThat(updated.get("name")).isEqualTo(Map.of("before", "Before", "after", "After"));
        assertThat(changes(log.get(0))).containsEntry("name", Map.of("before", "After"));
    }

    @Test
    void securityEventsAreRecorded() {
        Map<String, String> user = Api.newUser("VIEWER");
        Api.login(user.get("email"), "wrong-password").then().statusCode(401);
        Api.login("nobody-" + UUID.randomUUID() + "@example.com", "x").then().statusCode(401);
        String token =
                (String) Api.tokens(user.get("email"), user.get("password")).get("accessToken");
        as(token).post("/api/auth/logout").then().statusCode(204);

        List<Map<String, Object>> mine = entries(Map.of("actor", user.get("id")));
        assertThat(mine)
                .extracting(e -> e.get("action"))
                .containsExactly("auth.logout", "auth.login", "auth.login_failed");
        assertThat(changes(mine.get(2))).containsEntry("reason", "wrong password");
        List<Map<String, Object>> unknown = entries(Map.of("action", "auth.login_failed"));
        assertThat(unknown).anySatisfy(e -> {
            assertThat(e.get("actorId")).isNull();
            assertThat((String) e.get("actorEmail")).startsWith("nobody-");
        });

        // Lock-out: the sixth failure for one email within the window is refused and recorded.
        String email = "locked-" + UUID.randomUUID() + "@example.com";
        for (int i = 0; i < 5; i++) Api.login(email, "x").then().statusCode(401);
        Api.login(email, "x").then().statusCode(429);
        assertThat(entries(Map.of("actor", email, "action", "auth.locked_out"))).hasSize(1);
    }

    @Test
    void usersAndWebhooksAreRecordedWithoutSecrets() {
        Map<String, String> user = Api.newUser("VIEWER");
        as(TestTokens.admin())
                .body(Map.of(
                        "email",
                        user.get("email"),
                        "password",
                        "a-new-password-1",
                        "roles",
                        Set.of("EDITOR"),
                        "active",
                        true))
                .put("/api/users/{id}", user.get("id"))
                .then()
                .statusCode(200);
        List<Map<String, Object>> log = entries(Map.of("entity", "user", "entityId", user.get("id")));
        assertThat(log).extracting(e -> e.get("action")).containsExactly("user.update", "user.create");
        Map<String, Object> update = changes(log.get(0));
        assertThat(update)
                .containsEntry("password", Map.of("after", "(changed)"))
                .containsKey("roles");
        assertThat(log.toString()).doesNotContain("$2"); // no bcrypt hash anywhere

        JsonPath hook = as(TestTokens.admin())
                .body(Map.of("url", "http://127.0.0.1:9/audit", "events", List.of("*")))
                .post("/api/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String secret = hook.getString("secret");
        String rotated = as(TestTokens.admin())
                .post("/api/webhooks/{id}/rotate-secret", hook.getString("id"))
                .then()
                .statusCode(200)
                .extract()
                .path("secret");
        as(TestTokens.admin())
                .delete("/api/webhooks/{id}", hook.getString("id"))
                .then()
                .statusCode(204);
        List<Map<String, Object>> hooks = entries(Map.of("entity", "webhook", "entityId", hook.getString("id")));
        assertThat(hooks)
                .extracting(e -> e.get("action"))
                .containsExactly("webhook.delete", "webhook.rotate_secret", "webhook.create");
        assertThat(hooks.toString()).doesNotContain(secret.substring(6)).doesNotContain(rotated.substring(6));
    }

    @Test
    void anImportIsOneEntryWhenCreatedAndOneSummaryWhenDone() {
        String p = prefix();
        String key = s3.put(utf8(Csv.products(p, 350))); // 4 batches in tests
        String id = as(TestTokens.editor())
                .body(Map.of("objectKey", key))
                .post("/api/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        completed(id);
        List<Map<String, Object>> log = entries(Map.of("entity", "import", "entityId", id));
        assertThat(log).extracting(e -> e.get("action")).containsExactly("import.completed", "import.create");
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) changes(log.get(0)).get("summary");
        assertThat(summary).containsEntry("created", 350).containsEntry("status", "completed");
        assertThat(log.get(1).get("actorEmail")).isEqualTo("tester-editor@sluice.local");
        // Not one entry per row.
        assertThat(entries(Map.of(
                        "action",
                        "product",
                        "from",
                        Instant.now().minusSeconds(60).toString())))
                .noneSatisfy(e -> assertThat(String.valueOf(changes(e))).contains(p));
    }

    @Test
    void filtersAndPagingWork() {
        String sku = "AF-" + UUID.randomUUID().toString().substring(0, 8);
        Instant before = Instant.now().minusSeconds(1);
        String id = as(TestTokens.editor())
                .body(Map.of("sku", sku, "name", "N", "quantity", 1))
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Instant after = Instant.now().plusSeconds(1);
        assertThat(entries(Map.of("action", "product.create", "from", before.toString(), "to", after.toString())))
                .anySatisfy(e -> assertThat(e.get("entityId")).isEqualTo(id));
        assertThat(entries(Map.of("action", "product.create", "to", before.toString())))
                .noneSatisfy(e -> assertThat(e.get("entityId")).isEqualTo(id));
        as(TestTokens.admin())
                .queryParam("size", 1)
                .queryParam("page", 0)
                .get("/api/audit")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("size", equalTo(1));
        as(TestTokens.admin())
                .queryParam("from", "yesterday")
                .get("/api/audit")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("from"));
        as(TestTokens.editor()).get("/api/audit").then().statusCode(403);
        json().get("/api/audit").then().statusCode(401);
    }
}
