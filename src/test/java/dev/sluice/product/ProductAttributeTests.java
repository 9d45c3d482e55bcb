package dev.sluice.product;

import static dev.sluice.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.sluice.attribute.Attrs;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Products carry typed attributes: validated on write, in every representation, filterable and sortable. */
@QuarkusTest
class ProductAttributeTests {
    private static final String PROBLEM = "application/problem+json";

    @org.junit.jupiter.api.AfterEach
    void dropTheAttributes() {
        Attrs.purgeCreated();
    }

    private static Map<String, Object> body(String sku, Map<String, Object> attributes) {
        Map<String, Object> m = new HashMap<>();
        m.put("sku", sku);
        m.put("name", "Name of " + sku);
        m.put("attributes", attributes);
        return m;
    }

    private static String tag() {
        return "PA" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    @Test
    void valuesAreStoredTypedAndAnUnchangedPutKeepsTheVersionAndETag() {
        String t = tag();
        String weight = Attrs.create(Attrs.code("weight"), "number");
        String pieces = Attrs.create(Attrs.code("pieces"), "integer");
        String fragile = Attrs.create(Attrs.code("fragile"), "boolean");
        String since = Attrs.create(Attrs.code("since"), "date");
        String colour = Attrs.createEnum(Attrs.code("colour"), List.of("Red", "Dark Blue"));
        String site = Attrs.create(Attrs.code("site"), "url");
        String note = Attrs.create(Attrs.code("note"), "text");
        Map<String, Object> attrs = new HashMap<>();
        attrs.put(weight, "1.50");
        attrs.put(pieces, 3);
        attrs.put(fragile, "yes");
        attrs.put(since, "2024-02-29");
        attrs.put(colour, "dark blue");
        attrs.put(site, "https://example.com/p");
        attrs.put(note, "hand made");
        var created = as(TestTokens.editor())
                .body(body(t, attrs))
                .post("/api/products")
                .then()
                .statusCode(201);
        String id = created.extract().path("id");
        String etag = created.extract().header("ETag");
        JsonPath p = as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(p.getDouble("attributes." + weight)).isEqualTo(1.5);
        assertThat(p.getInt("attributes." + pieces)).isEqualTo(3);
        assertThat(p.getBoolean("attributes." + fragile)).isTrue();
        assertThat(p.getString("attributes." + since)).isEqualTo("2024-02-29");
        assertThat(p.getString("attributes." + colour)).isEqualTo("Dark Blue");
        assertThat(p.getString("attributes." + note)).isEqualTo("hand made");

        // The same values in other spellings: nothing changes, the version and ETag stay.
        attrs.put(weight, 1.5);
        attrs.put(colour, "DARK BLUE");
        as(TestTokens.editor())
                .header("If-Match", etag)
                .body(body(t, attrs))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", etag);
        // A PUT without attributes keeps them; a changed value bumps the version; a stale ETag is a 412.
        Map<String, Object> plain = body(t, null);
        plain.remove("attributes");
        as(TestTokens.editor())
                .body(plain)
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", etag)
                .body("attributes." + note, equalTo("hand made"));
        attrs.remove(note);
        as(TestTokens.editor())
                .header("If-Match", etag)
                .body(body(t, attrs))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", org.hamcrest.Matchers.not(etag));
        as(TestTokens.editor())
                .header("If-Match", etag)
                .body(body(t, attrs))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(412);
        // The audit entry has the attributes' before and after.
        String changes = as(TestTokens.admin())
                .queryParam("entityId", id)
                .queryParam("action", "product.update")
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("items[0].changes.attributes");
        assertThat(changes).contains("hand made");
    }

    @Test
    void badValuesAndUnknownCodesAre400sNamingTheAttribute() {
        String pieces = Attrs.create(Attrs.code("pieces"), "integer");
        String since = Attrs.create(Attrs.code("since"), "date");
        String colour = Attrs.createEnum(Attrs.code("colour"), List.of("Red"));
        String site = Attrs.create(Attrs.code("site"), "url");
        Map<String, Object> attrs = new HashMap<>();
        attrs.put(pieces, "2.5");
        attrs.put(since, "2024-02-30");
        attrs.put(colour, "Green");
        attrs.put(site, "javascript:alert(1)");
        attrs.put("no_such_attribute", "x");
        as(TestTokens.editor())
                .body(body(tag(), attrs))
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body(
                        "errors.field",
                        containsInAnyOrder(
                                "attributes." + pieces,
                                "attributes." + since,
                                "attributes." + colour,
                                "attributes." + site,
                                "attributes.no_such_attribute"))
                .body("errors.find { it.field == 'attributes." + colour + "' }.message", equalTo("must be one of Red"));
    }

    @Test
    void aRequiredAttributeNeedsAValueWhenAProductIsCreatedOnly() {
        String t = tag();
        String id = as(TestTokens.editor())
                .body(body(t, Map.of()))
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String ean = Attrs.create(Attrs.code("ean"), "text", "required", true);
        try {
            as(TestTokens.editor())
                    .body(body(t + "-2", Map.of()))
                    .post("/api/products")
                    .then()
                    .statusCode(400)
                    .body("errors.field", contains("attributes." + ean))
                    .body("errors[0].message", equalTo("is required"));
            as(TestTokens.editor())
                    .body(body(t + "-2", Map.of(ean, "4006381333931")))
                    .post("/api/products")
                    .then()
                    .statusCode(201);
            // An existing product is updated without it.
            as(TestTokens.editor())
                    .body(body(t, Map.of()))
                    .put("/api/products/{id}", id)
                    .then()
                    .statusCode(200);
        } finally {
            Attrs.purge(ean);
        }
    }

    @Test
    void theListFiltersByAttributeExactlyAndByRangeSortsByItAndSearchesSearchableOnes() {
        String t = tag();
        String colour = Attrs.createEnum(Attrs.code("colour"), List.of("Red", "Blue"), "filterable", true);
        String weight = Attrs.create(Attrs.code("weight"), "number", "filterable", true);
        String since = Attrs.create(Attrs.code("since"), "date");
        String brand = Attrs.create(Attrs.code("brand"), "text", "searchable", true);
        String[][] rows = {
            {"A", "Red", "1.5", "2024-01-01", "Acme"},
            {"B", "Blue", "10", "2024-06-01", "Bolt"},
            {"C", "red", "3", "2025-01-01", "Acme" + t},
            {"D", null, "0.5", null, null}
        };
        for (String[] r : rows) {
            Map<String, Object> a = new HashMap<>();
            if (r[1] != null) a.put(colour, r[1]);
            a.put(weight, r[2]);
            if (r[3] != null) a.put(since, r[3]);
            if (r[4] != null) a.put(brand, r[4]);
            as(TestTokens.editor())
                    .body(body(t + "-" + r[0], a))
                    .post("/api/products")
                    .then()
                    .statusCode(201);
        }
        as(TestTokens.viewer())
                .queryParam("attr." + colour, "RED")
                .queryParam("sort", "sku")
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("items.sku", contains(t + "-A", t + "-C"))
                .body("totalItems", equalTo(2));
        as(TestTokens.viewer())
                .queryParam("attr." + weight + ".gte", "1.5")
                .queryParam("attr." + weight + ".lte", 5)
                .queryParam("sort", "-attr." + weight)
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("items.sku", contains(t + "-C", t + "-A"));
        as(TestTokens.viewer())
                .queryParam("attr." + since + ".gte", "2024-03-01")
                .queryParam("sort", "attr." + since)
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("items.sku", contains(t + "-B", t + "-C"));
        // Sorted by an attribute with keyset paging: products without a value come first, then by value.
        List<String> paged = new java.util.ArrayList<>();
        String after = null;
        do {
            var req = as(TestTokens.viewer())
                    .queryParam("q", t)
                    .queryParam("sort", "attr." + weight)
                    .queryParam("size", 1);
            if (after != null) req.queryParam("after", after);
            JsonPath page =
                    req.get("/api/products").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items.sku", String.class));
            after = page.getString("nextCursor");
        } while (after != null);
        assertThat(paged).containsExactly(t + "-D", t + "-A", t + "-C", t + "-B");
        // q matches searchable attributes too (the brand of C holds the tag; its sku does as well).
        as(TestTokens.viewer())
                .queryParam("q", "acme" + t.toLowerCase())
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("items.sku", contains(t + "-C"));
        // Filters on unknown attributes, ranges on enums and bad values are 400s naming the parameter.
        as(TestTokens.viewer())
                .queryParam("attr.nope", "x")
                .queryParam("attr." + colour + ".gte", "Red")
                .queryParam("attr." + weight, "heavy")
                .get("/api/products")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItems("attr.nope", "attr." + colour + ".gte", "attr." + weight));
        // The export takes the same filters and carries the attribute columns.
        String csv = io.restassured.RestAssured.given()
                .auth()
                .oauth2(TestTokens.viewer())
                .queryParam("attr." + colour, "red")
                .queryParam("sort", "sku")
                .get("/api/products/export")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String[] lines = csv.split("\r?\n");
        assertThat(List.of(lines[0].split(","))).contains(colour, weight, since, brand);
        assertThat(lines).hasSize(3);
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(TestTokens.viewer())
                .queryParam("attr.nope", "x")
                .get("/api/products/export")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("attr.nope"));
    }
}
