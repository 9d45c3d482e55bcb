package dev.sluice.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.TcpProxy;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Revocation across replicas with Redis unreachable for both: two instances of the packaged jar (prod
 * profile) share PostgreSQL and reach Redis through one proxy that the test cuts. A session ended on
 * replica A (logout, a deactivated user) is refused on replica B within a second, carried by
 * PostgreSQL (NOTIFY, and B reading auth_sessions while it can't read Redis).
 */
class RevocationAcrossReplicasIT {
    private static final URI REDIS = URI.create(env("REDIS_TEST_URL", env("REDIS_URL", "redis://127.0.0.1:6379/15")));
    private static final List<Process> replicas = new ArrayList<>();
    private static TcpProxy proxy;
    private static String a;
    private static String b;

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        proxy = TcpProxy.start(0, REDIS.getHost(), REDIS.getPort());
        a = start("A");
        b = start("B");
        awaitReady(a);
        awaitReady(b);
    }

    @AfterAll
    static void stopReplicas() throws InterruptedException, IOException {
        for (Process p : replicas) p.destroy();
        for (Process p : replicas) if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
        if (proxy != null) proxy.close();
    }

    private static String start(String name) throws IOException {
        int port = TcpProxy.freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", "target/quarkus-app/quarkus-run.jar");
        Map<String, String> e = pb.environment();
        e.put("PORT", Integer.toString(port));
        e.put("HOST", "127.0.0.1");
        e.put("REDIS_URL", "redis://127.0.0.1:" + proxy.port() + REDIS.getPath());
        // The isolated test database and bucket of this run, as the unit tests use them.
        e.put("DB_NAME", env("DB_TEST_NAME", env("DB_NAME", "sluice_test")));
        e.put("S3_BUCKET", env("S3_TEST_BUCKET", env("S3_BUCKET", "sluice-test")));
        e.put("LOG_JSON", "false");
        pb.redirectErrorStream(true).redirectOutput(new File("target/replica-" + name + ".log"));
        Process p = pb.start();
        // If this JVM dies mid-test, don't leave the replica running.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        replicas.add(p);
        return "http://127.0.0.1:" + port;
    }

    private static void awaitReady(String base) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (given().baseUri(base).get("/q/health/ready").statusCode() == 200) return;
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new AssertionError("replica " + base + " did not become ready; see target/replica-*.log");
    }

    private static RequestSpecification on(String base) {
        return given().baseUri(base).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static String login(String base, String email, String password) {
        return on(base).body(Map.of("email", email, "password", password))
                .post("/api/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
    }

    private static int me(String base, String token) {
        return on(base).auth().oauth2(token).get("/api/auth/me").statusCode();
    }

    /** Milliseconds until {@code token} gets 401 on {@code base}; fails after 3 s. */
    private static long msUntilRefused(String base, String token, long since) throws InterruptedException {
        while (System.nanoTime() - since < Duration.ofSeconds(3).toNanos()) {
            int status = me(base, token);
            if (status == 401) return (System.nanoTime() - since) / 1_000_000;
            assertThat(status).as("before it is refused").isEqualTo(200);
            Thread.sleep(20);
        }
        throw new AssertionError("token still accepted on " + base + " after 3 s");
    }

    @Test
    void aSessionEndedOnOneReplicaIsRefusedOnTheOtherWithinASecondWhileRedisIsDown() throws Exception {
        String admin = login(a, "admin@sluice.local", "admin");
        String email = "repl-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String password = "pw-" + UUID.randomUUID();
        String userId = on(a).auth()
                .oauth2(admin)
                .body(Map.of("email", email, "password", password, "roles", Set.of("VIEWER"), "active", true))
                .post("/api/users")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String loggedOut = login(a, email, password);
        String other = login(a, email, password);
        assertThat(me(b, loggedOut)).isEqualTo(200);
        assertThat(me(b, other)).isEqualTo(200);

        proxy.cut();
        try {
            Thread.sleep(1500); // both replicas' Redis connections are gone, and their syncs fail
            on(a).auth().oauth2(loggedOut).post("/api/auth/logout").then().statusCode(204);
            long ms = msUntilRefused(b, loggedOut, System.nanoTime());
            assertThat(ms)
                    .as("ms until replica B refuses the logged-out session")
                    .isLessThan(1000);
            assertThat(me(a, loggedOut)).isEqualTo(401);
            assertThat(me(b, other)).as("the user's other session").isEqualTo(200);

            // Deactivating the user on A ends the rest of its sessions on B too.
            long start = System.nanoTime();
            on(a).auth()
                    .oauth2(admin)
                    .body(Map.of("email", email, "roles", Set.of("VIEWER"), "active", false))
                    .put("/api/users/{id}", userId)
                    .then()
                    .statusCode(200);
            assertThat(msUntilRefused(b, other, start))
                    .as("ms until replica B refuses a deactivated user's session")
                    .isLessThan(1000);
        } finally {
            proxy.restore();
        }
    }
}
