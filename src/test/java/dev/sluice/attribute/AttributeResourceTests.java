package dev.sluice.attribute;

import static dev.sluice.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.sluice.support.Await;
import dev.sluice.support.Db;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The attribute schema: CRUD for admins, 400s naming each bad field, 409s that change nothing, audit. */
@QuarkusTest
class AttributeResourceTests {
    private static final String PROBLEM = "application/problem+json";

    @org.junit.jupiter.api.AfterEach
    void dropTheAttributes() {
        Attrs.purgeCreated();
    }

    private static List<Map<String, Object>> audit(String code) {
        return as(TestTokens.admin())
                .queryParam("entity", "attribute")
                .queryParam("entityId", code)
                .queryParam("size", 100)
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    private static String product(Map<String, Object> attributes) {
        Map<String, Object> body = new HashMap<>();
        body.put("sku", "AT-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("name", "Attribute holder");
        body.put("attributes", attributes);
        return as(TestTokens.editor())
                .body(body)
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void anAdminDefinesReadsListsAndReplacesAnAttributeAndEveryChangeIsAudited() {
        String code = Attrs.code("size");
        JsonPath created = as(TestTokens.admin())
                .body(Attrs.def(code, "enum", "label", "Size", "options", List.of("S", "M", "L"), "filterable", true))
                .post("/api/attributes")
                .then()
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/attributes/" + code))
                .extract()
                .jsonPath();
        assertThat(created.getString("type")).isEqualTo("enum");
        assertThat(created.getList("options", String.class)).containsExactly("S", "M", "L");
        assertThat(created.getBoolean("filterable")).isTrue();
        assertThat(created.getBoolean("required")).isFalse();

        as(TestTokens.viewer())
                .get("/api/attributes/{c}", code)
                .then()
                .statusCode(200)
                .body("label", equalTo("Size"));
        as(TestTokens.viewer()).get("/api/attributes").then().statusCode(200).body("code", hasItem(code));

        as(TestTokens.admin())
                .body(Attrs.def(code, "enum", "label", "Garment size", "options", List.of("S", "M", "L", "XL")))
                .put("/api/attributes/{c}", code)
                .then()
                .statusCode(200)
                .body("label", equalTo("Garment size"))
                .body("options", hasItems("XL"))
                .body("filterable", equalTo(false));

        List<Map<String, Object>> entries = audit(code);
        assertThat(entries).extracting(e -> e.get("action")).contains("attribute.create", "attribute.update");
        Map<String, Object> update = entries.stream()
                .filter(e -> e.get("action").equals("attribute.update"))
                .findFirst()
                .orElseThrow();
        assertThat(update.get("changes").toString()).contains("Garment size").contains("XL");

        as(TestTokens.admin()).delete("/api/attributes/{c}", code).then().statusCode(204);
        as(TestTokens.admin()).get("/api/attributes/{c}", code).then().statusCode(404);
        assertThat(audit(code)).extracting(e -> e.get("action")).contains("attribute.delete");
    }

    @Test
    void badDefinitionsGetA400NamingEachField() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("code", "9Bad Code");
        bad.put("type", "colour");
        as(TestTokens.admin())
                .body(bad)
                .post("/api/attributes")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItems("code", "type"));
        as(TestTokens.admin())
                .body(Attrs.def(Attrs.code("e"), "enum"))
                .post("/api/attributes")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("options"));
        as(TestTokens.admin())
                .body(Attrs.def(Attrs.code("e"), "enum", "options", List.of("Red", "red", " ")))
                .post("/api/attributes")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("options[1]", "options[2]"));
        as(TestTokens.admin())
                .body(Attrs.def(Attrs.code("t"), "text", "options", List.of("x")))
                .post("/api/attributes")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("options"));
        as(TestTokens.admin())
                .body(Attrs.def("price", "number"))
                .post("/api/attributes")
                .then()
                .statusCode(400)
                .body("errors[0].message", org.hamcrest.Matchers.containsString("product field"));
        String code = Attrs.create(Attrs.code("dup"), "text");
        as(TestTokens.admin())
                .body(Attrs.def(code, "text"))
                .post("/api/attributes")
                .then()
                .statusCode(409)
                .body("errors.field", hasItem("code"));
    }

    @Test
    void onlyAnAdminChangesTheSchema() {
        String code = Attrs.code("role");
        as(TestTokens.editor())
                .body(Attrs.def(code, "text"))
                .post("/api/attributes")
                .then()
                .statusCode(403);
        as(TestTokens.admin()).get("/api/attributes/{c}", code).then().statusCode(404);
        Attrs.create(code, "text");
        as(TestTokens.editor()).delete("/api/attributes/{c}", code).then().statusCode(403);
        as(TestTokens.editor())
                .body(Attrs.def(code, "integer"))
                .put("/api/attributes/{c}", code)
                .then()
                .statusCode(403);
    }

    @Test
    void aTypeChangeThatStoredValuesCantTakeIsA409WithTheCountAndChangesNothing() {
        String code = Attrs.create(Attrs.code("grade"), "text");
        String a = product(Map.of(code, "12"));
        String b = product(Map.of(code, "twelve"));
        String c = product(Map.of(code, "eleven"));
        as(TestTokens.admin())
                .body(Attrs.def(code, "integer"))
                .put("/api/attributes/{c}", code)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("incompatibleCount", equalTo(2))
                .body("detail", org.hamcrest.Matchers.containsString("2 stored value(s)"));
        as(TestTokens.admin()).get("/api/attributes/{c}", code).then().body("type", equalTo("text"));
        as(TestTokens.viewer()).get("/api/products/{id}", a).then().body("attributes." + code, equalTo("12"));

        // Once every stored value can take it, the change goes through and converts them.
        put(b, Map.of(code, "13"));
        put(c, Map.of());
        as(TestTokens.admin())
                .body(Attrs.def(code, "integer"))
                .put("/api/attributes/{c}", code)
                .then()
                .statusCode(200)
                .body("type", equalTo("integer"));
        as(TestTokens.viewer()).get("/api/products/{id}", a).then().body("attributes." + code, equalTo(12));
        as(TestTokens.viewer()).get("/api/products/{id}", b).then().body("attributes." + code, equalTo(13));

        // Each converted value is in its product's history, text before and number after; c had none left.
        JsonPath history = as(TestTokens.viewer())
                .get("/api/products/{id}/history", a)
                .then()
                .extract()
                .jsonPath();
        assertThat(history.getString("items[0].kind")).isEqualTo("updated");
        assertThat(history.getString("items[0].actor.email")).isEqualTo("tester-admin@sluice.local");
        assertThat(history.<Object>get("items[0].changes.'attributes." + code + "'.before"))
                .isEqualTo("12");
        assertThat(history.<Object>get("items[0].changes.'attributes." + code + "'.after"))
                .isEqualTo(12);
        assertThat(as(TestTokens.viewer())
                        .get("/api/products/{id}/history", c)
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("items[0].actor.email"))
                .as("c had no value left to convert: its last change is still the editor's")
                .isEqualTo("tester-editor@sluice.local");
    }

    @Test
    void aTextAttributeRetypedToAnEnumTakesEachStoredValueAsTheOptionItMatches() {
        String code = Attrs.create(Attrs.code("tint"), "text");
        String a = product(Map.of(code, "red"));
        String b = product(Map.of(code, " dark BLUE "));
        as(TestTokens.admin())
                .body(Attrs.def(code, "enum", "options", List.of("Red", "Dark Blue")))
                .put("/api/attributes/{c}", code)
                .then()
                .statusCode(200)
                .body("type", equalTo("enum"));
        as(TestTokens.viewer()).get("/api/products/{id}", a).then().body("attributes." + code, equalTo("Red"));
        as(TestTokens.viewer()).get("/api/products/{id}", b).then().body("attributes." + code, equalTo("Dark Blue"));
    }

    @Test
    void aDefinitionAnotherReplicaAddsIsSeenHereOnceItsNoticeArrives() {
        as(TestTokens.viewer()).get("/api/attributes").then().statusCode(200); // cached now
        String code = Attrs.code("remote");
        // What another replica's commit does: the row, and the NOTIFY this instance LISTENs for.
        assertThat(Db.scalar("""
                        with a as (insert into attributes (code, label, type) values ($1, 'Remote', 'text') returning code)
                        select count(*) from a, pg_notify('sluice_attributes', $1)""", code)).isEqualTo(1);
        try {
            Await.until(
                    "the definition is listed here",
                    Duration.ofSeconds(5),
                    () -> as(TestTokens.viewer())
                            .get("/api/attributes")
                            .then()
                            .extract()
                            .jsonPath()
                            .getList("code")
                            .contains(code));
        } finally {
            Db.scalar("with d as (delete from attributes where code = $1 returning 1) select count(*) from d", code);
        }
    }

    private static void put(String id, Map<String, Object> attributes) {
        JsonPath p = as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .extract()
                .jsonPath();
        Map<String, Object> body = new HashMap<>();
        body.put("sku", p.getString("sku"));
        body.put("name", p.getString("name"));
        body.put("attributes", attributes);
        as(TestTokens.editor()).body(body).put("/api/products/{id}", id).then().statusCode(200);
    }

    @Test
    void deletingAnAttributeInUseIsA409UnlessPurgedAndThePurgeIsAudited() {
        String code = Attrs.create(Attrs.code("brand"), "text");
        String id = product(Map.of(code, "Acme"));
        long version = as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .extract()
                .jsonPath()
                .getLong("version");
        as(TestTokens.admin())
                .delete("/api/attributes/{c}", code)
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("productsUsing", equalTo(1));
        as(TestTokens.admin()).get("/api/attributes/{c}", code).then().statusCode(200);

        as(TestTokens.admin())
                .queryParam("purge", true)
                .delete("/api/attributes/{c}", code)
                .then()
                .statusCode(204);
        as(TestTokens.admin()).get("/api/attributes/{c}", code).then().statusCode(404);
        JsonPath after = as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .extract()
                .jsonPath();
        assertThat(after.getMap("attributes")).doesNotContainKey(code);
        assertThat(after.getLong("version")).isGreaterThan(version);
        List<Map<String, Object>> entries = audit(code);
        Map<String, Object> purge = entries.stream()
                .filter(e -> e.get("action").equals("attribute.purge"))
                .findFirst()
                .orElseThrow();
        assertThat(purge.get("changes").toString()).contains("products=1");
        assertThat(entries).extracting(e -> e.get("action")).contains("attribute.delete");
        as(TestTokens.viewer()).get("/api/attributes").then().body("code", not(hasItem(code)));

        // The product's history says who took the value and what it was, at the version the purge made.
        JsonPath history = as(TestTokens.viewer())
                .get("/api/products/{id}/history", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(history.getString("items[0].kind")).isEqualTo("updated");
        assertThat(history.getString("items[0].source")).isEqualTo("api");
        assertThat(history.getLong("items[0].version")).isEqualTo(after.getLong("version"));
        assertThat(history.getString("items[0].actor.email")).isEqualTo("tester-admin@sluice.local");
        assertThat(history.getMap("items[0].changes")).containsOnlyKeys("attributes." + code);
        assertThat(history.getString("items[0].changes.'attributes." + code + "'.before"))
                .isEqualTo("Acme");
        assertThat(history.getString("items[0].changes.'attributes." + code + "'.after"))
                .isNull();
    }
}
