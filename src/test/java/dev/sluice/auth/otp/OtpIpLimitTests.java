package dev.sluice.auth.otp;

import static dev.sluice.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-IP limit, with a limit of 3 so that it is reached at once (all tests come from 127.0.0.1). */
@QuarkusTest
@TestProfile(OtpIpLimitTests.LowIpLimit.class)
class OtpIpLimitTests {
    public static class LowIpLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("app.otp.max-per-ip", "3");
        }
    }

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void clearIpCounters() {
        var keys = redis.key().keys("sluice:auth:otp-ip:*");
        if (!keys.isEmpty()) redis.key().del(keys.toArray(String[]::new));
    }

    private static Response request(String email) {
        return json().body(Map.of("email", email)).post("/api/auth/otp/request");
    }

    private static String anyEmail() {
        return "ip-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void oneClientIpGetsAFixedNumberOfRequestsAndWrongCodesPerWindow() {
        request(anyEmail()).then().statusCode(202);
        request(anyEmail()).then().statusCode(202);
        json().body(Map.of("email", anyEmail(), "code", "123456"))
                .post("/api/auth/otp/verify")
                .then()
                .statusCode(401);
        // Three counted, whichever the addresses: the fourth of either kind is refused.
        Response refused = request(anyEmail());
        refused.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("detail", containsString("from your network"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(800, 900);
        int retryAfter = json().body(Map.of("email", anyEmail(), "code", "123456"))
                .post("/api/auth/otp/verify")
                .then()
                .statusCode(429)
                .extract()
                .path("retryAfter");
        assertThat(retryAfter).isBetween(800, 900);
    }
}
