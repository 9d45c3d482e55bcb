package dev.sluice.common;

import static dev.sluice.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hostile and odd input gets a 4xx problem, is stored verbatim when valid, and never runs. */
@QuarkusTest
class ApiAbuseTests {
    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void malformedAndDeeplyNestedJsonAreRefusedAsProblems() {
        as(TestTokens.editor())
                .body("{\"sku\": \"A\", \"name\": ")
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed request body"))
                // Nothing of the parser's insides reaches the client: no exception, class or stack frame.
                .body(not(containsString("Exception")))
                .body(not(containsString("jackson")))
                .body(not(containsString("at dev.sluice")));
        as(TestTokens.editor())
                .body("[1, 2, 3]")
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        String deep = "[".repeat(50_000) + "]".repeat(50_000);
        as(TestTokens.editor())
                .body("{\"sku\": \"D\", \"name\": " + deep + "}")
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(TestTokens.editor())
                .body(Map.of("sku", "T-" + unique(), "name", "N", "price", "abc", "quantity", 1e100))
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(TestTokens.editor())
                .contentType("application/xml")
                .body("<product/>")
                .post("/api/products")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void aBodyOverTheLimitGets413ProblemWithoutBeingRead() {
        String big = "{\"sku\": \"B\", \"name\": \"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        as(TestTokens.editor())
                .body(big)
                .post("/api/products")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
    }

    @Test
    void sqlAndScriptLookingTextIsStoredVerbatimAndNeverRuns() {
        String u = unique();
        Map<String, Object> hostile = Map.of(
                "sku",
                "X'); DROP TABLE products; --" + u,
                "name",
                "<script>alert('x')</script> \" OR 1=1 --",
                "description",
                "Robert'); DELETE FROM users; -- ${jndi:ldap://x} {{7*7}} %s %n \\",
                "price",
                1,
                "quantity",
                1);
        JsonPath created = as(TestTokens.editor())
                .body(hostile)
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        JsonPath read = as(TestTokens.viewer())
                .get("/api/products/{id}", created.getString("id"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        for (String field : List.of("sku", "name", "description"))
            assertThat(read.getString(field)).isEqualTo(hostile.get(field));
        // Searching with the same text finds it (parameters, not SQL), and the tables are still there.
        as(TestTokens.viewer())
                .queryParam("q", "DROP TABLE products; --" + u)
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(1));
        as(TestTokens.viewer())
                .queryParam("q", "%' OR '1'='1")
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(0));
        as(TestTokens.admin()).get("/api/users").then().statusCode(200);
    }

    @Test
    void nulCharactersAreAFieldErrorNotAServerError() {
        as(TestTokens.editor())
                .body(Map.of("sku", "N-" + unique(), "name", "bad\u0000name", "quantity", 1))
                .post("/api/products")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("name"))
                .body("errors[0].message", containsString("NUL"));
    }

    @Test
    void skusFoldCaseBeyondAscii() {
        String u = unique();
        as(TestTokens.editor())
                .body(Map.of("sku", "ÄÖÜ-ΣΑΣ-Ǆ-" + u, "name", "Umlaut", "quantity", 1))
                .post("/api/products")
                .then()
                .statusCode(201);
        as(TestTokens.editor())
                .body(Map.of("sku", "äöü-σασ-ǆ-" + u, "name", "Lower", "quantity", 1))
                .post("/api/products")
                .then()
                .statusCode(409)
                .body("errors[0].field", equalTo("sku"));
        as(TestTokens.viewer())
                .queryParam("sku", "äÖü-Σασ-ǆ-" + u)
                .get("/api/products")
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(1))
                .body("items[0].name", equalTo("Umlaut"));
        // Emoji and combining marks are kept as sent.
        String emoji = "🍕-e\u0301-" + u;
        as(TestTokens.editor())
                .body(Map.of("sku", emoji, "name", "Pizza ✓", "quantity", 1))
                .post("/api/products")
                .then()
                .statusCode(201)
                .body("sku", equalTo(emoji));
    }
}
