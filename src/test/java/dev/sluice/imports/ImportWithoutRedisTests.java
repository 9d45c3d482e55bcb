package dev.sluice.imports;

import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.S3Files;
import dev.sluice.support.SseClient;
import dev.sluice.support.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis unreachable (nothing listens on its port): imports still complete, and progress comes from the database. */
@QuarkusTest
@TestProfile(ImportWithoutRedisTests.RedisDown.class)
class ImportWithoutRedisTests {

    public static class RedisDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1/15");
        }
    }

    @Inject
    S3Files s3;

    @TestHTTPResource("/")
    URL base;

    @Test
    void importCompletesAndProgressComesFromTheDatabase() throws Exception {
        String p = prefix();
        String id = Imports.start(s3.put(utf8(Csv.products(p, 1500))), null);
        JsonPath job = Imports.completed(id);
        assertThat(job.getLong("created")).isEqualTo(1500);
        assertThat(job.getLong("bytesRead")).isEqualTo(job.getLong("bytesTotal"));
        assertThat(Imports.countWithPrefix(p)).isEqualTo(1500);

        SseClient.Result events = SseClient.read(
                base + "api/imports/" + id + "/events",
                Map.of("Authorization", "Bearer " + TestTokens.viewer()),
                null,
                Duration.ofSeconds(20));
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.events().getLast().name()).isEqualTo("end");
        assertThat(new JsonPath(events.events().getLast().data()).getString("status"))
                .isEqualTo("completed");
    }
}
