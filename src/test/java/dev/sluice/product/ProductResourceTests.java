package dev.sluice.product;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProductResourceTests {
    private static final String PROBLEM = "application/problem+json";

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static RequestSpecification editor() {
        return as(TestTokens.editor());
    }

    private static RequestSpecification viewer() {
        return as(TestTokens.viewer());
    }

    /** A prefix unique to one test, so filters see only that test's rows whatever else is stored. */
    private static String tag() {
        return "T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static Map<String, Object> product(String sku, String name, Object price, int quantity, boolean active) {
        var m = new HashMap<String, Object>();
        m.put("sku", sku);
        m.put("name", name);
        m.put("description", "desc of " + name);
        m.put("price", price);
        m.put("quantity", quantity);
        m.put("active", active);
        return m;
    }

    private static String create(Map<String, Object> body) {
        return editor().body(body)
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void concurrentReadsByIdEachGetTheirOwnAnswer() throws Exception {
        // GET by id shares a few pipelined connections among all requests: answers must never cross.
        String t = tag();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) ids.add(create(product(t + "-" + i, "Pipelined " + i, "1.50", i, true)));
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var base = URI.create(RestAssured.baseURI + ":" + RestAssured.port);
        String token = TestTokens.viewer();
        List<String> asked = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            // Every seventh asks for a product that doesn't exist, so empty results interleave with rows.
            String id = n % 7 == 0 ? UUID.randomUUID().toString() : ids.get(n % ids.size());
            asked.add(id);
            answers.add(http.sendAsync(
                    HttpRequest.newBuilder(base.resolve("/api/products/" + id))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int n = 0; n < asked.size(); n++) {
            var answer = answers.get(n).get(60, TimeUnit.SECONDS);
            String id = asked.get(n);
            int i = ids.indexOf(id);
            if (i < 0) {
                assertThat(answer.statusCode()).isEqualTo(404);
                assertThat(answer.body()).contains(id);
            } else {
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body())
                        .contains("\"id\":\"" + id + "\"")
                        .contains("\"sku\":\"" + t + "-" + i + "\"")
                        .contains("\"quantity\":" + i + ",");
            }
        }
    }

    @Test
    void createReturns201WithLocationAndEtagThenGetShowsIt() {
        String sku = tag() + "-create";
        ValidatableResponse created = editor().body(product(sku, "Kettle", 19.99, 5, true))
                .post("/api/products")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/products/"))
                .header("ETag", "\"0\"")
                .body(
                        "sku",
                        equalTo(sku),
                        "name",
                        equalTo("Kettle"),
                        "price",
                        equalTo(19.99f),
                        "quantity",
                        equalTo(5),
                        "active",
                        equalTo(true),
                        "version",
                        equalTo(0),
                        "createdAt",
                        notNullValue(),
                        "updatedAt",
                        notNullValue());
        String id = created.extract().path("id");
        assertThat(created.extract().header("Location")).endsWith("/api/products/" + id);
        // UUIDv7: the version nibble is 7.
        assertThat(UUID.fromString(id).version()).isEqualTo(7);

        as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"0\"")
                .body("id", equalTo(id), "description", equalTo("desc of Kettle"));
    }

    @Test
    void defaultsApplyWhenOptionalFieldsAreMissing() {
        String sku = tag();
        editor().body(Map.of("sku", sku, "name", "Bare"))
                .post("/api/products")
                .then()
                .statusCode(201)
                .body("quantity", equalTo(0), "active", equalTo(true), "price", nullValue());
    }

    @Test
    void skuThatExistsInAnotherLetterCaseIsA409() {
        String sku = tag() + "-abc";
        create(product(sku, "First", 1, 1, true));
        editor().body(product(sku.toLowerCase(), "Second", 2, 2, true))
                .post("/api/products")
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("status", equalTo(409), "errors[0].field", equalTo("sku"));
    }

    @Test
    void invalidFieldsAreListedOneByOne() {
        var body = product("", "x".repeat(256), -1, -5, true);
        editor().body(body)
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body(
                        "title",
                        equalTo("Invalid request"),
                        "errors.field",
                        hasItem("sku"),
                        "errors.field",
                        hasItem("name"),
                        "errors.field",
                        hasItem("price"),
                        "errors.field",
                        hasItem("quantity"),
                        "errors",
                        hasSize(4));
    }

    @Test
    void tooManyDecimalsInPriceIsRejected() {
        editor().body(product(tag(), "P", 1.999, 0, true))
                .post("/api/products")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("price"));
    }

    @Test
    void malformedJsonIsA400ProblemNotA500() {
        editor().body("{\"sku\": \"A\", ")
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("status", equalTo(400), "detail", containsString("not valid JSON"));
        editor().body("[1,2]").post("/api/products").then().statusCode(400).contentType(PROBLEM);
        editor().body("").post("/api/products").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void wrongTypeNamesTheField() {
        editor().body("{\"sku\":\"" + tag() + "\",\"name\":\"N\",\"price\":\"abc\"}")
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors[0].field", equalTo("price"), "errors[0].message", containsString("number"));
        editor().body("{\"sku\":\"" + tag() + "\",\"name\":\"N\",\"quantity\":{\"a\":1}}")
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors[0].field", equalTo("quantity"));
    }

    @Test
    void unknownIdIs404AndBadIdIsNot500() {
        as(TestTokens.viewer())
                .get("/api/products/{id}", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("status", equalTo(404));
        as(TestTokens.viewer())
                .get("/api/products/not-a-uuid")
                .then()
                .statusCode(404)
                .contentType(PROBLEM);
        editor().body(product(tag(), "N", 1, 1, true))
                .put("/api/products/{id}", UUID.randomUUID())
                .then()
                .statusCode(404);
        editor().delete("/api/products/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void putWithCurrentEtagUpdatesAndStaleEtagIs412() {
        String sku = tag();
        String id = create(product(sku, "Old", 10, 1, true));
        editor().header("If-Match", "\"0\"")
                .body(product(sku, "New", 12.5, 3, false))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("name", equalTo("New"), "version", equalTo(1), "active", equalTo(false));
        editor().header("If-Match", "\"0\"")
                .body(product(sku, "Stale", 1, 1, true))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(412)
                .contentType(PROBLEM);
        as(TestTokens.viewer()).get("/api/products/{id}", id).then().body("name", equalTo("New"));
        // Without If-Match the update applies; the SKU may change its own letter case.
        editor().body(product(sku.toLowerCase(), "Newer", 1, 1, true))
                .put("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .body("sku", equalTo(sku.toLowerCase()), "version", equalTo(2));
    }

    @Test
    void updateToAnotherProductsSkuIs409() {
        String a = tag(), b = tag();
        create(product(a, "A", 1, 1, true));
        String idB = create(product(b, "B", 1, 1, true));
        editor().body(product(a.toLowerCase(), "B", 1, 1, true))
                .put("/api/products/{id}", idB)
                .then()
                .statusCode(409);
    }

    @Test
    void conditionalGetAnswers304() {
        String id = create(product(tag(), "C", 1, 1, true));
        as(TestTokens.viewer())
                .header("If-None-Match", "\"0\"")
                .get("/api/products/{id}", id)
                .then()
                .statusCode(304);
    }

    @Test
    void filtersByContainsExactSkuAndActive() {
        String t = tag();
        create(product(t + "-001", "Wireless Mouse", 10, 1, true));
        create(product(t + "-002", "Wired Keyboard", 20, 1, false));
        create(product(t + "-003", "Desk Lamp", 30, 1, true));

        viewer().queryParam("q", t.toLowerCase())
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(3), "items", hasSize(3));
        viewer().queryParam("q", t)
                .queryParam("active", false)
                .get("/api/products")
                .then()
                .body("totalItems", equalTo(1), "items[0].name", equalTo("Wired Keyboard"));
        viewer().queryParam("sku", (t + "-003").toLowerCase())
                .get("/api/products")
                .then()
                .body("totalItems", equalTo(1), "items[0].name", equalTo("Desk Lamp"));
        // Contains on name, case-insensitive; LIKE wildcards in q are literal.
        viewer().queryParam("q", t)
                .queryParam("q", "ignored")
                .get("/api/products")
                .then()
                .statusCode(200);
        viewer().queryParam("q", "%" + t).get("/api/products").then().body("totalItems", equalTo(0));
    }

    @Test
    void pagesAndSortsAndCountsPages() {
        String t = tag();
        for (int i = 0; i < 5; i++) create(product(t + "-" + i, "Item " + (char) ('E' - i), i * 10, i, true));
        viewer().queryParam("q", t)
                .queryParam("size", 2)
                .queryParam("page", 1)
                .queryParam("sort", "name")
                .get("/api/products")
                .then()
                .statusCode(200)
                .body(
                        "page",
                        equalTo(1),
                        "size",
                        equalTo(2),
                        "totalItems",
                        equalTo(5),
                        "totalPages",
                        equalTo(3),
                        "items.name",
                        equalTo(List.of("Item C", "Item D")));
        viewer().queryParam("q", t)
                .queryParam("sort", "-price")
                .get("/api/products")
                .then()
                .body("items[0].price", equalTo(40.0f), "items[4].price", equalTo(0.0f), "items", hasSize(5));
        viewer().queryParam("size", 201)
                .get("/api/products")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors[0].field", equalTo("size"));
        viewer().queryParam("sort", "bogus")
                .get("/api/products")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("sort"));
    }

    @Test
    void cursorPagingWalksEveryRowOnceInOrder() {
        String t = tag();
        for (int i = 0; i < 7; i++) create(product(t + "-" + i, "Same Name", i, 1, true)); // ties broken by id
        for (String sort : List.of("name", "-updatedAt", "price", "-sku", "quantity")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var req = as(TestTokens.viewer())
                        .queryParam("q", t)
                        .queryParam("size", 3)
                        .queryParam("sort", sort);
                if (cursor != null) req.queryParam("after", cursor);
                var page = req.get("/api/products").then().statusCode(200).extract();
                seen.addAll(page.path("items.id"));
                cursor = page.path("nextCursor");
                pages++;
            } while (cursor != null && pages < 10);
            assertThat(seen).as("sort %s", sort).hasSize(7).doesNotHaveDuplicates();
            List<String> all = as(TestTokens.viewer())
                    .queryParam("q", t)
                    .queryParam("size", 50)
                    .queryParam("sort", sort)
                    .get("/api/products")
                    .then()
                    .extract()
                    .path("items.id");
            assertThat(seen).as("sort %s", sort).containsExactlyElementsOf(all);
        }
    }

    @Test
    void aCursorFromAnotherSortOrGarbageIsA400() {
        String t = tag();
        for (int i = 0; i < 3; i++) create(product(t + "-" + i, "N" + i, i, 1, true));
        String cursor = as(TestTokens.viewer())
                .queryParam("q", t)
                .queryParam("size", 1)
                .queryParam("sort", "name")
                .get("/api/products")
                .then()
                .extract()
                .path("nextCursor");
        assertThat(cursor).isNotNull();
        as(TestTokens.viewer())
                .queryParam("after", cursor)
                .queryParam("sort", "price")
                .get("/api/products")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("after"));
        as(TestTokens.viewer())
                .queryParam("after", "garbage!")
                .get("/api/products")
                .then()
                .statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void deleteOneThenItIsGone() {
        String id = create(product(tag(), "Doomed", 1, 1, true));
        editor().delete("/api/products/{id}", id).then().statusCode(204);
        editor().get("/api/products/{id}", id).then().statusCode(404);
    }

    /** Regression: Session.remove under concurrency crossed event loops (HR000069, hibernate-reactive#1713). */
    @Test
    void concurrentDeletesOnEveryEventLoopAllSucceed() throws Exception {
        String t = tag();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 48; i++) ids.add(create(product(t + "-" + i, "Doomed " + i, 1, 1, true)));
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (String id : ids)
                statuses.add(pool.submit(
                        () -> editor().delete("/api/products/{id}", id).statusCode()));
            for (var s : statuses) assertThat(s.get(60, TimeUnit.SECONDS)).isEqualTo(204);
        } finally {
            pool.shutdown();
        }
        editor().queryParam("q", t).get("/api/products").then().statusCode(200).body("totalItems", equalTo(0));
    }

    @Test
    void deleteWithStaleIfMatchIs412AndKeepsTheProduct() {
        String id = create(product(tag(), "Kept", 1, 1, true));
        editor().header("If-Match", "\"999\"")
                .delete("/api/products/{id}", id)
                .then()
                .statusCode(412)
                .contentType(PROBLEM);
        editor().get("/api/products/{id}", id).then().statusCode(200);
    }

    @Test
    void deleteAllNeedsAdminAndReportsTheCount() {
        create(product(tag(), "One", 1, 1, true));
        create(product(tag(), "Two", 1, 1, true));
        editor().delete("/api/products").then().statusCode(403).contentType(PROBLEM);
        int deleted = as(TestTokens.admin())
                .delete("/api/products")
                .then()
                .statusCode(200)
                .extract()
                .path("deleted");
        assertThat(deleted).isGreaterThanOrEqualTo(2);
        as(TestTokens.viewer()).get("/api/products").then().body("totalItems", equalTo(0), "items", empty());
    }

    @Test
    void rolesAreEnforced() {
        given().get("/api/products")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().auth()
                .oauth2("not.a.jwt")
                .get("/api/products")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        as(TestTokens.viewer())
                .body(product(tag(), "V", 1, 1, true))
                .post("/api/products")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("detail", not(containsString("Exception")));
        as(TestTokens.viewer()).get("/api/products").then().statusCode(200);
    }
}
