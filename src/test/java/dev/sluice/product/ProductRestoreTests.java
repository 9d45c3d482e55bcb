package dev.sluice.product;

import static dev.sluice.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.attribute.Attrs;
import dev.sluice.support.Db;
import dev.sluice.support.Imports;
import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /api/products/{id}/restore: a product deleted on its own comes back from its history. */
@QuarkusTest
class ProductRestoreTests {
    private static final String PROBLEM = "application/problem+json";

    @Inject
    S3Files s3;

    @AfterEach
    void dropTheAttributes() {
        Attrs.purgeCreated();
    }

    private static String sku() {
        return "RS-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath create(String sku, Map<String, Object> attributes) {
        Map<String, Object> body = new HashMap<>();
        body.put("sku", sku);
        body.put("name", "Lamp " + sku);
        body.put("description", "Brass, 40 cm");
        body.put("price", 49.5);
        body.put("quantity", 7);
        body.put("active", false);
        body.put("attributes", attributes);
        return as(TestTokens.editor())
                .body(body)
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static ExtractableResponse<Response> restore(String id) {
        return as(TestTokens.editor())
                .post("/api/products/{id}/restore", id)
                .then()
                .extract();
    }

    @Test
    void aDeletedProductComesBackWithItsIdFieldsAttributesAndCreationTimeAtANewVersion() {
        String code = Attrs.create(Attrs.code("finish"), "text");
        String sku = sku();
        JsonPath made = create(sku, Map.of(code, "matte"));
        String id = made.getString("id");
        as(TestTokens.editor())
                .body(Map.of("sku", sku, "name", "Renamed lamp", "price", 52, "quantity", 7, "active", false))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200);
        JsonPath before = as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .extract()
                .jsonPath();
        as(TestTokens.editor()).delete("/api/products/{id}", id).then().statusCode(204);
        as(TestTokens.viewer()).get("/api/products/{id}", id).then().statusCode(404);

        ExtractableResponse<Response> restored = restore(id);
        assertThat(restored.statusCode()).isEqualTo(201);
        assertThat(restored.header("Location")).endsWith("/api/products/" + id);
        JsonPath back = restored.jsonPath();
        assertThat(restored.header("ETag")).isEqualTo("\"" + back.getLong("version") + "\"");
        assertThat(back.getString("id")).isEqualTo(id);
        for (String field : List.of("sku", "name", "description", "quantity", "active", "createdAt"))
            assertThat(back.getString(field)).as(field).isEqualTo(before.getString(field));
        assertThat(back.getDouble("price")).isEqualTo(52.0);
        assertThat(back.getMap("attributes")).isEqualTo(Map.of(code, "matte"));
        assertThat(back.getLong("version")).isEqualTo(before.getLong("version") + 1);
        as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .body("sku", equalTo(sku));

        // Recorded as a restore by whoever asked, and audited.
        JsonPath history = as(TestTokens.viewer())
                .get("/api/products/{id}/history", id)
                .then()
                .extract()
                .jsonPath();
        assertThat(history.getList("items.kind")).containsExactly("restored", "deleted", "updated", "created");
        assertThat(history.getLong("items[0].version")).isEqualTo(back.getLong("version"));
        assertThat(history.getString("items[0].actor.email")).isEqualTo("tester-editor@sluice.local");
        assertThat(as(TestTokens.admin())
                        .queryParam("entity", "product")
                        .queryParam("entityId", id)
                        .get("/api/audit")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.action", String.class))
                .contains("product.restore", "product.delete");

        // It exists now: a second restore is refused and changes nothing.
        as(TestTokens.editor())
                .post("/api/products/{id}/restore", id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("reason", equalTo("not-deleted"));

        // Deleted again, it comes back again, from the newer deletion.
        as(TestTokens.editor()).delete("/api/products/{id}", id).then().statusCode(204);
        assertThat(restore(id).jsonPath().getLong("version")).isEqualTo(back.getLong("version") + 1);
    }

    @Test
    void aProductWhoseSkuAnotherHasTakenSinceIsAConflictThatNamesTheOther() {
        String sku = sku();
        String id = create(sku, Map.of()).getString("id");
        as(TestTokens.editor()).delete("/api/products/{id}", id).then().statusCode(204);
        String other = create(sku.toLowerCase(), Map.of()).getString("id");

        as(TestTokens.editor())
                .post("/api/products/{id}/restore", id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("reason", equalTo("sku-taken"), "takenBy", equalTo(other));
        as(TestTokens.viewer()).get("/api/products/{id}", id).then().statusCode(404);

        // Once the other one is gone, it can come back.
        as(TestTokens.editor()).delete("/api/products/{id}", other).then().statusCode(204);
        assertThat(restore(id).statusCode()).isEqualTo(201);
    }

    @Test
    void aDryRunBeforeTheDeletionDoesNotStandInTheWay() {
        String sku = sku();
        String id = create(sku, Map.of()).getString("id");
        // A dry run keeps what it would have changed, at the version after the product's: restore reads past it.
        Imports.completed(Imports.start(
                s3.put(("sku,name\n" + sku + ",Dry name\n").getBytes(StandardCharsets.UTF_8)),
                Map.of("mode", "dry-run")));
        as(TestTokens.editor()).delete("/api/products/{id}", id).then().statusCode(204);
        ExtractableResponse<Response> back = restore(id);
        assertThat(back.statusCode()).isEqualTo(201);
        assertThat(back.jsonPath().getString("name")).isEqualTo("Lamp " + sku);
    }

    @Test
    void valuesTheAttributeDefinitionsNoLongerTakeAreAConflictNamingEachAttribute() {
        String code = Attrs.create(Attrs.code("weight"), "text");
        String id = create(sku(), Map.of(code, "heavy")).getString("id");
        as(TestTokens.editor()).delete("/api/products/{id}", id).then().statusCode(204);
        // Retyped after the deletion: only live products' values were converted, and "heavy" is no number.
        as(TestTokens.admin())
                .body(Attrs.def(code, "number"))
                .put("/api/attributes/{c}", code)
                .then()
                .statusCode(200);
        as(TestTokens.editor())
                .post("/api/products/{id}/restore", id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("reason", equalTo("attributes-changed"), "errors[0].field", equalTo("attributes." + code));
        as(TestTokens.viewer()).get("/api/products/{id}", id).then().statusCode(404);

        // Back to text, it comes back with its value.
        as(TestTokens.admin())
                .body(Attrs.def(code, "text"))
                .put("/api/attributes/{c}", code)
                .then()
                .statusCode(200);
        assertThat(restore(id).jsonPath().getMap("attributes")).isEqualTo(Map.of(code, "heavy"));
    }

    @Test
    void anUnknownIdIsA404AndViewersMayNotRestore() {
        as(TestTokens.editor())
                .post("/api/products/{id}/restore", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        String id = create(sku(), Map.of()).getString("id");
        as(TestTokens.editor()).delete("/api/products/{id}", id).then().statusCode(204);
        as(TestTokens.viewer()).post("/api/products/{id}/restore", id).then().statusCode(403);
        as(TestTokens.viewer()).get("/api/products/{id}", id).then().statusCode(404);
    }

    @Test
    void aProductRemovedWithoutARecordedDeletionIsAConflictThatSaysSo() {
        String id = create(sku(), Map.of()).getString("id");
        // As a delete while history was off leaves it: the creation recorded, the deletion not.
        assertThat(Db.scalar(
                        "with d as (delete from products where id = $1 returning 1) select count(*) from d",
                        UUID.fromString(id)))
                .isEqualTo(1);
        as(TestTokens.editor())
                .post("/api/products/{id}/restore", id)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("reason", equalTo("not-recorded"));
    }
}
