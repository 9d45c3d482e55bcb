package dev.sluice.common;

import static dev.sluice.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CORS over real HTTP. The test profile allows https://app.example.test and loopback origins over
 * http (APP_CORS_ORIGINS); everything else stays same-origin.
 */
@QuarkusTest
class CrossOriginTests {
    static final String APP = "https://app.example.test";

    @TestHTTPResource("/")
    URL base;

    @Test
    void aPreflightFromAnAllowedOriginAllowsTheApiHeadersAndMethods() {
        Response r = given().header("Origin", APP)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization,content-type,if-match")
                .options("/api/products/00000000-0000-0000-0000-000000000000");
        r.then().statusCode(200).header("Access-Control-Allow-Origin", APP);
        assertThat(list(r.header("Access-Control-Allow-Headers")))
                .contains("authorization", "content-type", "if-match", "if-none-match", "last-event-id");
        assertThat(list(r.header("Access-Control-Allow-Methods"))).contains("get", "post", "put", "delete");
        assertThat(list(r.header("Access-Control-Expose-Headers"))).contains("etag", "location", "retry-after");
        // Bearer tokens, no cookies: a page on the allowed origin can't ride on someone's session.
        assertThat(r.header("Access-Control-Allow-Credentials")).isNotEqualTo("true");
        assertThat(r.header("Access-Control-Max-Age")).isNotBlank();
    }

    @Test
    void anAllowedOriginReadsTheEtagAndLocationOfWhatItCreates() {
        String sku = "CORS-" + System.nanoTime();
        Response r = as(TestTokens.editor())
                .header("Origin", APP)
                .body(Map.of("sku", sku, "name", "Cross-origin", "price", 1))
                .post("/api/products");
        r.then().statusCode(201).header("Access-Control-Allow-Origin", APP);
        assertThat(r.header("ETag")).isNotBlank();
        assertThat(r.header("Location")).contains("/api/products/");
        assertThat(list(r.header("Access-Control-Expose-Headers"))).contains("etag", "location", "retry-after");
    }

    @Test
    void anotherOriginIsNotAllowedAndItsPreflightFails() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "DELETE")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/api/products")
                .then()
                .statusCode(403)
                // Without Access-Control-Allow-Origin the browser fails the preflight and sends nothing.
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example")
                .auth()
                .oauth2(TestTokens.admin())
                .delete("/api/products")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        // A look-alike of an allowed origin is another origin.
        given().header("Origin", "https://app.example.test.evil.example")
                .auth()
                .oauth2(TestTokens.viewer())
                .get("/api/products")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void requestsWithoutAnOriginAreUntouched() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/products?size=1")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void importEventsStreamCrossOriginWithTheScopedEventsTokenAndResumeAfterLastEventId() throws Exception {
        String prefix = Csv.prefix();
        String id = given().auth()
                .oauth2(TestTokens.editor())
                .contentType("text/csv")
                .body(Csv.utf8(Csv.products(prefix, 250)))
                .post("/api/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Imports.completed(id);
        String token = as(TestTokens.viewer())
                .header("Origin", APP)
                .post("/api/imports/{id}/events-token", id)
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", APP)
                .extract()
                .path("token");

        // What EventSource sends: no Authorization header, the token in the URL, the page's Origin.
        String url = base.toString().replaceAll("/$", "") + "/api/imports/" + id + "/events?token=" + token;
        Stream first = stream(url, null);
        assertThat(first.status).isEqualTo(200);
        assertThat(first.allowOrigin).isEqualTo(APP);
        assertThat(first.contentType).startsWith("text/event-stream");
        assertThat(first.events).last().satisfies(e -> assertThat(e).startsWith("end|"));
        String lastId = first.ids.get(first.ids.size() - 1);

        // Its reconnect carries Last-Event-ID: nothing at or before that id is sent again.
        Stream again = stream(url, lastId);
        assertThat(again.status).isEqualTo(200);
        assertThat(again.allowOrigin).isEqualTo(APP);
        assertThat(again.ids).allSatisfy(i -> assertThat(Long.parseLong(i)).isGreaterThan(Long.parseLong(lastId)));

        // The events token opens this stream only: as a bearer token elsewhere it is refused.
        given().header("Origin", APP)
                .auth()
                .oauth2(token)
                .get("/api/products")
                .then()
                .statusCode(401)
                .header("Access-Control-Allow-Origin", equalTo(APP))
                .contentType(containsString("problem+json"));
    }

    private record Stream(int status, String allowOrigin, String contentType, List<String> events, List<String> ids) {}

    private static Stream stream(String url, String lastEventId) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "text/event-stream")
                .header("Origin", APP);
        if (lastEventId != null) req.header("Last-Event-ID", lastEventId);
        HttpResponse<InputStream> resp =
                HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        List<String> events = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String name = null, line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id:")) ids.add(line.substring(3).strip());
                else if (line.startsWith("event:")) name = line.substring(6).strip();
                else if (line.startsWith("data:") && name != null) {
                    events.add(name + "|" + line.substring(5).strip());
                    if (name.equals("end")) break;
                }
            }
        }
        return new Stream(
                resp.statusCode(),
                resp.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                resp.headers().firstValue("Content-Type").orElse(""),
                events,
                ids);
    }

    private static List<String> list(String header) {
        assertThat(header).as("header").isNotNull();
        return Arrays.stream(header.split(","))
                .map(s -> s.strip().toLowerCase())
                .toList();
    }
}
