package dev.sluice.auth;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Api.login;
import static dev.sluice.support.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.RedisProxy;
import dev.sluice.support.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL road of revocation, each half on its own: a NOTIFY from another replica is enforced
 * at once, and with Redis cut a revocation this instance was never told of (only the session row says
 * so, as when a NOTIFY is missed) is read from the table within a second. Redis sits behind a proxy the
 * test cuts. {@code RevocationAcrossReplicasIT} shows the whole with two instances.
 */
@QuarkusTest
@TestProfile(RevocationThroughPostgresTests.RedisBehindAProxy.class)
class RevocationThroughPostgresTests {
    private static TcpProxy proxy;

    public static class RedisBehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", RedisProxy.url("revocation"));
        }
    }

    @BeforeAll
    static void startProxy() throws IOException {
        if (proxy == null) proxy = RedisProxy.start("revocation");
    }

    @AfterEach
    void restoreRedis() {
        proxy.restore();
    }

    @Inject
    Pool pool;

    private static String token() {
        Map<String, String> user = newUser("VIEWER");
        return login(user.get("email"), user.get("password"))
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
    }

    private static String sid(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return JsonPath.from(payload).getString("sid");
    }

    private static long msUntilRefused(String token) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofSeconds(3).toNanos()) {
            int status = as(token).get("/api/auth/me").statusCode();
            if (status == 401) return (System.nanoTime() - start) / 1_000_000;
            assertThat(status).isEqualTo(200);
            Thread.sleep(20);
        }
        throw new AssertionError("still accepted after 3 s");
    }

    @Test
    void aRevocationAnnouncedThroughPostgresIsRefusedAtOnce() throws Exception {
        String token = token();
        as(token).get("/api/auth/me").then().statusCode(200);
        // As another replica announces it; Redis (up) was never told.
        pool.preparedQuery("select pg_notify('sluice_revocations', $1)")
                .execute(Tuple.of(sid(token)))
                .await()
                .atMost(Duration.ofSeconds(5));
        assertThat(msUntilRefused(token)).isLessThan(1000);
    }

    @Test
    void withRedisCutASessionRevokedInTheTableIsRefusedWithinASecond() throws Exception {
        String token = token();
        String other = token();
        as(token).get("/api/auth/me").then().statusCode(200);
        proxy.cut();
        Thread.sleep(1000);
        // Only the row: no NOTIFY, no Redis (a replica that missed both).
        pool.preparedQuery("update auth_sessions set revoked_at = now(), revoke_reason = 'test' where id = $1")
                .execute(Tuple.of(UUID.fromString(sid(token))))
                .await()
                .atMost(Duration.ofSeconds(5));
        assertThat(msUntilRefused(token)).isLessThan(1000);
        as(other).get("/api/auth/me").then().statusCode(200);
    }

    @Test
    void withRedisCutLogoutStillAnswers204AndIsEnforced() throws Exception {
        String token = token();
        proxy.cut();
        as(token).post("/api/auth/logout").then().statusCode(204);
        as(token).get("/api/auth/me").then().statusCode(401);
    }
}
