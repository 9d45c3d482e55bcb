package dev.sluice.auth.otp;

import static dev.sluice.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.sluice.support.Await;
import dev.sluice.support.RedisProxy;
import dev.sluice.support.TcpProxy;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Code sign-in's per-IP limit while Redis is unreachable: each instance counts in memory instead, so
 * the limit holds through the outage (it used to be skipped), and nothing answers 5xx. A limit of 3 and
 * a short window, with Redis behind a proxy the test cuts.
 */
@QuarkusTest
@TestProfile(OtpIpLimitOutageTests.RedisBehindAProxy.class)
class OtpIpLimitOutageTests {
    private static final int WINDOW_SECONDS = 6;
    private static TcpProxy proxy;

    public static class RedisBehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.hosts",
                    RedisProxy.url("otp-ip"),
                    "app.otp.max-per-ip",
                    "3",
                    "app.otp.ip-window",
                    WINDOW_SECONDS + "s");
        }
    }

    @BeforeAll
    static void startProxy() throws IOException {
        if (proxy == null) proxy = RedisProxy.start("otp-ip");
    }

    @AfterEach
    void restoreRedis() {
        proxy.restore();
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

    private static Response wrongCode() {
        return json().body(Map.of("email", anyEmail(), "code", "123456")).post("/api/auth/otp/verify");
    }

    private static String anyEmail() {
        return "ip-out-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void withRedisCutTheFourthRequestFromOneIpIsStillRefusedWith429() {
        proxy.cut();
        request(anyEmail()).then().statusCode(202);
        request(anyEmail()).then().statusCode(202);
        wrongCode().then().statusCode(401);

        Response refused = request(anyEmail());
        refused.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("detail", containsString("from your network"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, WINDOW_SECONDS);
        wrongCode().then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());

        // Redis back: the lock counted in memory lasts out its window, then requests pass again.
        proxy.restore();
        awaitRedis();
        request(anyEmail()).then().statusCode(429);
        int status = Await.value(
                "the in-memory lock ends with its window",
                Duration.ofSeconds(WINDOW_SECONDS + 5),
                Duration.ofMillis(500),
                () -> request(anyEmail()).statusCode(),
                s -> s != 429);
        assertThat(status).isEqualTo(202);
    }

    private void awaitRedis() {
        Await.until("Redis is reachable again", Duration.ofSeconds(15), () -> {
            try {
                redis.value(String.class).get("sluice:probe");
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }
}
