package dev.sluice.common;

import static dev.sluice.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.support.Await;
import dev.sluice.support.Imports;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The packaged jar in the prod profile: JSON log lines carrying the import's job id, and a working import. */
@QuarkusIntegrationTest
class ProdModeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void prodLogsAreJsonWithTheJobIdInTheMdc() throws Exception {
        String csv = "sku,name,price,quantity\nPROD-IT-1,First,1.50,1\nPROD-IT-2,Second,2.50,2\n";
        String id = as(TestTokens.editor())
                .contentType("text/csv")
                .queryParam("filename", "prod-it.csv")
                .body(csv)
                .post("/api/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertThat(Imports.completed(id).getLong("processedRows")).isEqualTo(2);
        given().get("/q/health/ready").then().statusCode(200);

        Path log = Path.of("target/quarkus.log");
        Predicate<List<JsonNode>> hasJobLine = lines -> lines.stream()
                .anyMatch(n -> id.equals(n.path("jobId").asText())
                        && n.path("message").asText().contains("completed"));
        List<JsonNode> json = Await.value(
                "a JSON log line for import " + id,
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                () -> jsonLines(log),
                hasJobLine);
        boolean found = hasJobLine.test(json);
        assertThat(json).isNotEmpty().allSatisfy(n -> {
            assertThat(n.has("timestamp")).isTrue();
            assertThat(n.has("level")).isTrue();
            assertThat(n.has("message")).isTrue();
        });
        assertThat(found).as("a JSON line for import %s with its jobId", id).isTrue();
    }

    private static List<JsonNode> jsonLines(Path log) {
        try {
            List<JsonNode> json = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("{")) json.add(JSON.readTree(line)); // each one parses: one object per line
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
