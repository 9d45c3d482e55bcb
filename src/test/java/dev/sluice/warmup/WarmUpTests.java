package dev.sluice.warmup;

import static dev.sluice.support.Api.adminToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.Await;
import dev.sluice.support.Db;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The warm-up, on, against the real stack: it holds readiness back while it sends the hot reads to
 * the instance's own port, then lets it go and says what it did, and it never writes. It runs for
 * at least eight seconds here, so the test sees it running.
 */
@QuarkusTest
@TestProfile(WarmUpTests.WarmUpOn.class)
class WarmUpTests {
    public static class WarmUpOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "app.warm-up.max-duration", "12s",
                    "app.warm-up.min-duration", "8s",
                    "app.warm-up.connections", "4");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void readinessWaitsForTheWarmUpThenReportsWhatItSentAndNothingWasWritten() {
        long productsBefore = products();
        long versionsBefore = versionSum();
        JsonPath running = warmUpCheck();
        assertThat(running.getString("status")).isEqualTo("DOWN");
        assertThat(running.getString("data.state")).isIn("running", "waiting for the database");
        given().get("/q/health/ready").then().statusCode(503);

        Await.until(
                "the warm-up ends",
                Duration.ofSeconds(30),
                () -> "UP".equals(warmUpCheck().getString("status")));

        JsonPath done = warmUpCheck();
        assertThat(done.getString("data.state")).matches("(done: the JIT has settled|ended at max-duration) \\(.*");
        assertThat(done.getLong("data.requests")).isPositive();
        // Its token works: the list pages (a sixteenth of the requests) are answered, not refused.
        assertThat(done.getLong("data.answered2xx")).isGreaterThan(done.getLong("data.requests") / 20);
        given().get("/q/health/ready").then().statusCode(200);
        assertThat(products()).isEqualTo(productsBefore);
        assertThat(versionSum()).isEqualTo(versionsBefore);
    }

    @Test
    void theSelfClientReadsSizedAndChunkedResponsesOnOneConnection() throws Exception {
        String auth = "Bearer " + adminToken();
        try (SelfClient client = new SelfClient("127.0.0.1", base.getPort(), 10_000)) {
            assertThat(client.exchange(SelfClient.get("/q/health/live", null))).isEqualTo(200);
            // The export streams its body in chunks.
            assertThat(client.exchange(SelfClient.get("/api/products/export?format=csv", auth, "*/*")))
                    .isEqualTo(200);
            assertThat(client.exchange(SelfClient.get("/api/products?size=5", auth)))
                    .isEqualTo(200);
            assertThat(client.exchange(SelfClient.get("/api/products?size=5", null)))
                    .isEqualTo(401);
            assertThat(client.exchange(SelfClient.post("/api/products", auth, "{}")))
                    .isEqualTo(400);
            assertThat(client.exchange(SelfClient.get("/q/health/live", null))).isEqualTo(200);
        }
    }

    private static JsonPath warmUpCheck() {
        JsonPath ready = given().get("/q/health/ready").jsonPath();
        return JsonPath.from(ready.prettify()).setRootPath("checks.find { it.name == 'warm-up' }");
    }

    private long products() {
        return Db.scalar("select count(*) from products");
    }

    private long versionSum() {
        return Db.scalar("select coalesce(sum(version), 0) from products");
    }
}
