package dev.sluice.auth;

import static dev.sluice.support.Api.ADMIN_EMAIL;
import static dev.sluice.support.Api.ADMIN_PASSWORD;
import static dev.sluice.support.Api.login;
import static dev.sluice.support.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Brute-force limits while Redis is unreachable: each instance keeps counting failed logins in memory,
 * so the sixth wrong password for one email still gets 429, and nothing answers 5xx. Redis is reached
 * through a proxy the test cuts, so the machine's shared Redis is never stopped. The window is short
 * here so that the lock can be seen to end.
 */
@QuarkusTest
@TestProfile(LoginThrottleOutageTests.RedisBehindAProxy.class)
class LoginThrottleOutageTests {
    private static final String PROBLEM = "application/problem+json";
    private static final int WINDOW_SECONDS = 8;
    private static TcpProxy proxy;

    /** Redis through a proxy the test can cut ({@link RedisProxy}). */
    public static class RedisBehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.hosts", RedisProxy.url("login"), "app.auth.failure-window", WINDOW_SECONDS + "s");
        }
    }

    @BeforeAll
    static void startProxy() throws IOException {
        if (proxy == null) proxy = RedisProxy.start("login");
    }

    @AfterEach
    void restoreRedis() {
        proxy.restore();
    }

    @Inject
    RedisDataSource redis;

    @Test
    void withRedisCutTheSixthWrongPasswordForOneEmailGets429() {
        var user = newUser("VIEWER");
        String email = user.get("email");
        proxy.cut();

        for (int i = 1; i <= 5; i++) {
            login(email, "wrong-" + i).then().statusCode(401).contentType(PROBLEM);
        }
        int retryAfter = assertLocked(login(email, "wrong-6"));
        assertThat(retryAfter).isBetween(1, WINDOW_SECONDS);
        // As with Redis: while locked, even the right password is refused.
        assertLocked(login(email, user.get("password")));

        proxy.restore();
        awaitRedis();
        // Another account logs in; the lock earned during the outage lasts out its window.
        login(ADMIN_EMAIL, ADMIN_PASSWORD).then().statusCode(200);
        assertLocked(login(email, user.get("password")));
        int status = Await.value(
                "the lock ends with its window",
                Duration.ofSeconds(WINDOW_SECONDS + 5),
                Duration.ofMillis(500),
                () -> login(email, user.get("password")).statusCode(),
                s -> s != 429);
        assertThat(status).isEqualTo(200);
    }

    @Test
    void onceRedisIsBackFailuresAreCountedThereAgain() {
        var user = newUser("VIEWER");
        String email = user.get("email");
        proxy.cut();
        login(email, "wrong-outage").then().statusCode(401);
        proxy.restore();
        awaitRedis();

        login(email, "wrong-after").then().statusCode(401);
        String key = "sluice:auth:fail:email:" + email.toLowerCase(Locale.ROOT);
        assertThat(redis.value(Long.class).get(key)).isEqualTo(1L);
    }

    /** A 429 in the same form as the Redis path's: problem+json, Retry-After, the seconds in the detail. */
    private static int assertLocked(Response r) {
        String retryAfter =
                r.then().statusCode(429).contentType(PROBLEM).extract().header("Retry-After");
        assertThat(retryAfter).as("Retry-After").isNotNull().matches("\\d+");
        assertThat(r.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(r.jsonPath().getString("title")).isEqualTo("Too many failed logins");
        assertThat(r.jsonPath().getString("detail"))
                .isEqualTo("Too many failed logins; try again in " + retryAfter + " seconds");
        return Integer.parseInt(retryAfter);
    }

    /** The application's Redis client has reconnected through the restored proxy. */
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
