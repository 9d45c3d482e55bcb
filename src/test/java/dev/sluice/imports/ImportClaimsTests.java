package dev.sluice.imports;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyStatus;
import dev.sluice.common.InstanceId;
import dev.sluice.common.MaintenanceRuns;
import dev.sluice.common.RetentionJobs;
import dev.sluice.support.Await;
import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.S3Files;
import dev.sluice.support.S3Proxy;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which instance takes an import, and when, with two instances sharing the queue: this one, whose
 * S3 goes through a proxy the test can take down or make reset downloads, and a healthy replica
 * played by SQL on the same table (its claim and its lease renewals).
 */
@QuarkusTest
@TestProfile(ImportClaimsTests.ProxiedS3.class)
class ImportClaimsTests {
    private static final String HEALTHY = "healthy-replica";
    private static S3Proxy proxy;

    /** S3 through a proxy on a port free now; the proxy itself is started by the test (below). */
    public static class ProxiedS3 implements QuarkusTestProfile {
        static final int PORT = S3Proxy.freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.s3.endpoint-override",
                    "http://127.0.0.1:" + PORT,
                    // A few S3 retries inside the SDK, then our own backoff: keep the SDK's short.
                    "quarkus.s3.sync-client.connection-timeout",
                    "1s");
        }
    }

    @Inject
    S3Files s3;

    @Inject
    Pool pool;

    @Inject
    DependencyStatus dependencies;

    @Inject
    RetentionJobs retention;

    @Inject
    InstanceId instance;

    @Inject
    ImportsConfig config;

    @BeforeEach
    void bucketAnswersThroughTheProxy() {
        synchronized (ImportClaimsTests.class) {
            if (proxy == null) {
                String endpoint = ConfigProvider.getConfig().getValue("quarkus.s3.endpoint-override", String.class);
                String upstream = System.getenv().getOrDefault("S3_ENDPOINT", "http://127.0.0.1:9000");
                proxy = S3Proxy.start(URI.create(endpoint).getPort(), URI.create(upstream));
            }
        }
        proxy.pass();
        Await.until(
                "this instance sees the bucket answer", Duration.ofSeconds(10), () -> dependencies.up(Dependency.S3));
    }

    @AfterEach
    void nothingLeftInTheQueue() {
        proxy.pass();
        pool.query("update import_jobs set status = 'cancelled', lease_owner = null, lease_expires_at = null, "
                        + "completed_at = now() where status in ('queued', 'running')")
                .execute()
                .await()
                .indefinitely();
    }

    @Test
    void anInstanceThatCannotReachTheBucketIsNotReadyAndLeavesAnImportWhoseLeaseRanOutToTheReplicaThatCan() {
        String key = s3.put(utf8(Csv.products(prefix(), 3000)));
        proxy.down();
        Await.until(
                "readiness reports the bucket down",
                Duration.ofSeconds(10),
                () -> given().get("/q/health/ready").statusCode() == 503);
        given().get("/q/health/ready")
                .then()
                .body("checks.find { it.name == 's3-bucket' }.status", Matchers.equalTo("DOWN"));

        // The healthy replica stalled (a long GC pause, a frozen node) past its lease, on its 9th run.
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                        insert into import_jobs (id, filename, object_key, status, options, bytes_total, attempts, started_at,
                                                 lease_owner, lease_expires_at)
                        values ($1, 'stalled.csv', $2, 'running', '{"mode":"apply","onError":"skip"}', 100, 9, now(),
                                $3, now() - interval '1 second')""").execute(Tuple.of(id, key, HEALTHY)).await().indefinitely();
        Await.holds(
                "this instance, which can't read the file, leaves the job alone for ten poll intervals",
                config.pollInterval().multipliedBy(10),
                () -> {
                    Row r = job(id);
                    return r.getString("status").equals("running")
                            && HEALTHY.equals(r.getString("lease_owner"))
                            && r.getInteger("attempts") == 9;
                });
        // Clean-ups that delete S3 objects aren't claimed here either; those needing only PostgreSQL are.
        MaintenanceRuns.Result objects =
                retention.run("import-objects", Duration.ZERO).await().atMost(Duration.ofSeconds(10));
        assertThat(objects.ran()).as("import-objects claimed without S3").isFalse();
        assertThat(retention
                        .run("expired-sessions", Duration.ZERO)
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .ran())
                .isTrue();

        // The healthy replica wakes up: its lease renewal (ImportSql.renew's statement) still finds its job.
        int renewed = pool.preparedQuery("update import_jobs set lease_expires_at = now() + interval '15 seconds' "
                        + "where id = $1 and lease_owner = $2 and status = 'running'")
                .execute(Tuple.of(id, HEALTHY))
                .await()
                .indefinitely()
                .rowCount();
        assertThat(renewed).as("the healthy replica still holds its job").isEqualTo(1);

        // Then it dies for good, and the bucket answers here again: this instance resumes the job.
        pool.preparedQuery("update import_jobs set lease_expires_at = now() - interval '1 second' where id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();
        proxy.pass();
        JsonPath done = Imports.completed(id.toString());
        assertThat(done.getLong("created")).isEqualTo(3000);
    }

    @Test
    void anInterruptedRunWaitsOutABackoffLongerOnTheInstanceItRanOnThenResumesToTheCleanTable() {
        String p = prefix();
        byte[] file = utf8(Csv.products(p, 30_000));
        String key = s3.put(file);
        // Broken before its first batch: a run cut short mid-batch leaves that batch's transaction open
        // (a separate pipeline issue), which is not what this test is about.
        proxy.resetDownloadsAfter(4096, 4);
        UUID id = queued("interrupted.csv", key, file.length);

        Await.until(
                "the reset interrupts the run and the job goes back to the queue",
                Duration.ofSeconds(30),
                () -> job(id).getInteger("interruptions") == 1);
        Row r = job(id);
        assertThat(proxy.resets()).isGreaterThanOrEqualTo(1);
        assertThat(r.getString("interrupted_by")).isEqualTo(instance.value());
        assertThat(r.getString("last_interruption")).startsWith("the S3 bucket was unreachable");
        OffsetDateTime at = r.getOffsetDateTime("interrupted_at"), notBefore = r.getOffsetDateTime("retry_not_before");
        long backoff = Duration.between(at, notBefore).toMillis();
        assertThat(backoff)
                .as("first backoff: between half and all of retry-backoff")
                .isBetween(
                        config.retryBackoff().toMillis() / 2 - 50,
                        config.retryBackoff().toMillis() + 50);
        // Another instance could take it after `backoff`; this one, where it broke, only after twice that.
        OffsetDateTime mine = notBefore.plus(Duration.ofMillis(backoff));
        Await.holds(
                "this instance doesn't take the job back before its longer backoff",
                Duration.between(OffsetDateTime.now(), mine).minusMillis(150),
                () -> job(id).getInteger("attempts") == 1);

        JsonPath done = Imports.completed(id.toString());
        assertThat(done.getLong("processedRows")).isEqualTo(30_000);
        assertThat(done.getLong("created")).isEqualTo(30_000);
        assertThat(job(id).getInteger("attempts"))
                .as("one interrupted run, one to the end")
                .isEqualTo(2);
        String q = prefix();
        Imports.completed(Imports.start(s3.put(utf8(Csv.products(q, 30_000))), null));
        assertThat(Imports.checksum(p)).as("resumed run vs clean run").isEqualTo(Imports.checksum(q));
    }

    @Test
    void anyInstanceHonoursTheNotBeforeTimeOfAJobInterruptedElsewhere() {
        String key = s3.put(utf8(Csv.products(prefix(), 500)));
        UUID id = UUID.randomUUID();
        // Interrupted 500 ms ago on another replica, with a 2 s backoff.
        pool.preparedQuery("""
                        insert into import_jobs (id, filename, object_key, status, options, bytes_total, attempts,
                                                 interruptions, interrupted_by, interrupted_at, interrupted_since, interrupted_offset,
                                                 retry_not_before)
                        values ($1, 'elsewhere.csv', $2, 'queued', '{"mode":"apply","onError":"skip"}', 100, 1,
                                1, $3, now() - interval '500 milliseconds', now() - interval '500 milliseconds', 0,
                                now() + interval '1500 milliseconds')""").execute(Tuple.of(id, key, HEALTHY)).await().indefinitely();
        OffsetDateTime notBefore = job(id).getOffsetDateTime("retry_not_before");
        Await.holds(
                "nobody claims it before its not-before time",
                Duration.between(OffsetDateTime.now(), notBefore).minusMillis(150),
                () -> job(id).getString("status").equals("queued"));
        // The doubled wait is only for the instance that was interrupted: this one takes it right after.
        Await.until(
                "this instance takes it once the backoff is over",
                Duration.ofSeconds(2),
                () -> !job(id).getString("status").equals("queued"));
        assertThat(Imports.completed(id.toString()).getLong("created")).isEqualTo(500);
    }

    @Test
    void anImportFailsForAnOutageOnlyOnceTheRetryBudgetIsSpentAndSaysWhy() {
        String key = s3.put(utf8(Csv.products(prefix(), 3000)));
        // Every download breaks before the first batch: no run moves the checkpoint.
        proxy.resetDownloadsAfter(4096, Integer.MAX_VALUE);

        // Nine interrupted runs in a row, the first a second ago: the budget spans minutes, not runs in milliseconds.
        UUID young = streak("young.csv", key, "1 second");
        Await.until(
                "the tenth interrupted run is recorded",
                Duration.ofSeconds(20),
                () -> job(young).getInteger("interruptions") == 10);
        Row r = job(young);
        assertThat(r.getString("status")).as("not failed inside the budget").isEqualTo("queued");
        assertThat(r.getOffsetDateTime("retry_not_before")).isAfter(r.getOffsetDateTime("interrupted_at"));
        as(TestTokens.editor()).post("/api/imports/{id}/cancel", young).then().statusCode(200);

        // The same, the first interruption 20 minutes ago (past the 15-minute budget): now it fails, saying why.
        UUID old = streak("old.csv", key, "20 minutes");
        JsonPath failed = Imports.await(old.toString());
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getString("errorMessage"))
                .startsWith(
                        "Gave up after 10 interrupted runs over 20 min without progress; the last: the S3 bucket was unreachable (")
                .doesNotContain("\tat ");
    }

    /** A queued job, as POST /api/imports writes it (without the API's 64 KB header probe through the proxy). */
    private UUID queued(String name, String key, long size) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("insert into import_jobs (id, filename, object_key, status, options, bytes_total) "
                        + "values ($1, $2, $3, 'queued', '{\"mode\":\"apply\",\"onError\":\"skip\"}', $4)")
                .execute(Tuple.of(id, name, key, size))
                .await()
                .indefinitely();
        return id;
    }

    /** A queued job whose last nine runs were interrupted without progress, the first {@code since} ago. */
    private UUID streak(String name, String key, String since) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                        insert into import_jobs (id, filename, object_key, status, options, bytes_total, attempts,
                                                 interruptions, interrupted_by, interrupted_at, interrupted_since, interrupted_offset,
                                                 retry_not_before)
                        values ($1, $2, $3, 'queued', '{"mode":"apply","onError":"skip"}', 100, 9,
                                9, $4, now() - interval '2 seconds', now() - $5::text::interval, 0, now() - interval '1 second')""")
                .execute(Tuple.of(id, name, key, HEALTHY, since))
                .await()
                .indefinitely();
        return id;
    }

    private Row job(UUID id) {
        return pool.preparedQuery("select * from import_jobs where id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
    }
}
