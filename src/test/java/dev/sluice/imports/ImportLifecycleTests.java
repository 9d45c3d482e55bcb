package dev.sluice.imports;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.countWithPrefix;
import static dev.sluice.support.Imports.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.Await;
import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.S3Files;
import dev.sluice.support.SseClient;
import dev.sluice.support.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Progress over SSE, cancel, and resuming after a runner is gone. */
@QuarkusTest
class ImportLifecycleTests {
    @Inject
    S3Files s3;

    @Inject
    Pool pool;

    @Inject
    ImportEvents events;

    @TestHTTPResource("/")
    URL base;

    private String eventsUrl(String id) {
        return base.toString() + "api/imports/" + id + "/events";
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Test
    void sseSendsSnapshotsInOrderThenOneEndEventAndCloses() throws Exception {
        String p = prefix();
        String id = start(s3.put(utf8(Csv.products(p, 3000))), null);
        SseClient.Result r = SseClient.read(eventsUrl(id), bearer(TestTokens.viewer()), null, Duration.ofSeconds(60));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.endedByServer()).isTrue();
        List<SseClient.Event> events = r.events();
        assertThat(events).isNotEmpty();
        assertThat(events.getLast().name()).isEqualTo("end");
        assertThat(events.stream().filter(e -> "end".equals(e.name()))).hasSize(1);
        JsonPath end = new JsonPath(events.getLast().data());
        assertThat(end.getString("status")).isEqualTo("completed");
        assertThat(end.getLong("processedRows")).isEqualTo(3000);
        assertThat(end.getLong("created")).isEqualTo(3000);
        long previousId = 0, previousRows = -1;
        for (SseClient.Event e : events) {
            long eid = Long.parseLong(e.id());
            long rows = new JsonPath(e.data()).getLong("processedRows");
            assertThat(eid).isGreaterThanOrEqualTo(previousId);
            assertThat(rows).isGreaterThanOrEqualTo(previousRows);
            previousId = eid;
            previousRows = rows;
        }
    }

    @Test
    void lastEventIdResumesWithoutRepeatingWhatTheClientSaw() throws Exception {
        String p = prefix();
        String id = start(s3.put(utf8(Csv.products(p, 20_000))), null);
        // Read until the first progress event with some rows, then drop the connection.
        SseClient.Result first = SseClient.read(
                eventsUrl(id),
                bearer(TestTokens.viewer()),
                e -> "progress".equals(e.name()) && new JsonPath(e.data()).getLong("processedRows") > 0,
                Duration.ofSeconds(30));
        SseClient.Event seen = first.events().getLast();
        long seenId = Long.parseLong(seen.id());
        SseClient.Result resumed = SseClient.read(
                eventsUrl(id),
                Map.of("Authorization", "Bearer " + TestTokens.viewer(), "Last-Event-ID", seen.id()),
                null,
                Duration.ofSeconds(60));
        assertThat(resumed.events()).isNotEmpty();
        assertThat(resumed.events().getFirst().id()).isNotEqualTo(seen.id());
        for (SseClient.Event e : resumed.events())
            assertThat(Long.parseLong(e.id())).isGreaterThan(seenId);
        assertThat(resumed.events().getLast().name()).isEqualTo("end");
        completed(id);
    }

    @Test
    void eventSourceTokensAreScopedToOneImport() throws Exception {
        String id = start(s3.put(utf8(Csv.products(prefix(), 10))), null);
        completed(id);
        String other = start(s3.put(utf8(Csv.products(prefix(), 10))), null);
        Map<String, Object> t = as(TestTokens.viewer())
                .post("/api/imports/{id}/events-token", id)
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        String token = (String) t.get("token");
        assertThat(t.get("url").toString()).endsWith("/events?token=" + token);
        // It names its signing key, as access tokens do, so a key rotation doesn't break a watcher.
        String header = new String(
                java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(header)
                .contains("\"kid\":\""
                        + io.quarkus.arc.Arc.container()
                                .instance(dev.sluice.auth.JwtKeys.class)
                                .get()
                                .currentKid()
                        + "\"");
        SseClient.Result ok = SseClient.read(eventsUrl(id) + "?token=" + token, Map.of(), null, Duration.ofSeconds(20));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.events().getLast().name()).isEqualTo("end");
        assertThat(SseClient.read(eventsUrl(other) + "?token=" + token, Map.of(), null, Duration.ofSeconds(10))
                        .status())
                .isEqualTo(401);
        assertThat(SseClient.read(eventsUrl(id), Map.of(), null, Duration.ofSeconds(10))
                        .status())
                .isEqualTo(401);
        // Nor is it a bearer token for anything else.
        as(token).get("/api/products").then().statusCode(401);
        completed(other);
    }

    /** A job some other (live) replica is running, 5 rows in: nothing here publishes for it. */
    private void runningElsewhere(UUID id) {
        pool.preparedQuery("""
                insert into import_jobs (id, filename, object_key, status, options, lease_owner, lease_expires_at, processed_rows, bytes_total)
                values ($1, 'elsewhere.csv', 'nowhere.csv', 'running', '{"mode":"apply","onError":"skip"}', 'other-replica',
                        now() + interval '1 minute', 5, 100)""").execute(Tuple.of(id)).await().indefinitely();
    }

    @Test
    void streamKeepsAliveAndEndsFromTheDatabaseEvenWithoutAPublish() throws Exception {
        // A job some other (live) replica is running: nothing here publishes for it.
        UUID id = UUID.randomUUID();
        runningElsewhere(id);
        try {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(4500);
                    pool.preparedQuery(
                                    "update import_jobs set status = 'completed', processed_rows = 7, lease_owner = null, "
                                            + "lease_expires_at = null where id = $1")
                            .execute(Tuple.of(id))
                            .await()
                            .indefinitely();
                } catch (InterruptedException ignored) {
                }
            });
            SseClient.Result r =
                    SseClient.read(eventsUrl(id.toString()), bearer(TestTokens.viewer()), null, Duration.ofSeconds(20));
            assertThat(r.comments()).as("heartbeats every 2 s in tests").contains("keep-alive");
            assertThat(r.events().getFirst().name()).isEqualTo("progress");
            assertThat(new JsonPath(r.events().getFirst().data()).getLong("processedRows"))
                    .isEqualTo(5);
            assertThat(r.events().getLast().name()).isEqualTo("end");
            assertThat(new JsonPath(r.events().getLast().data()).getLong("processedRows"))
                    .isEqualTo(7);
        } finally {
            pool.preparedQuery("update import_jobs set status = 'completed', lease_owner = null where id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
        }
    }

    @Test
    void watchersOfOneJobShareOneDatabasePollAndAllEndFromIt() throws Exception {
        UUID id = UUID.randomUUID();
        runningElsewhere(id);
        try {
            List<CompletableFuture<SseClient.Result>> watchers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                watchers.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return SseClient.read(
                                        eventsUrl(id.toString()),
                                        bearer(TestTokens.viewer()),
                                        null,
                                        Duration.ofSeconds(20));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        Executors.newVirtualThreadPerTaskExecutor()));
            }
            Thread.sleep(3000);
            assertThat(events.sharedPolls()).as("one poll for four watchers").isEqualTo(1);
            assertThat(events.feeds())
                    .as("one feed (one emitter, one encoding per event) for four watchers")
                    .isEqualTo(1);
            pool.preparedQuery("update import_jobs set status = 'completed', processed_rows = 9, lease_owner = null, "
                            + "lease_expires_at = null where id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
            for (var w : watchers) {
                SseClient.Result r = w.get(30, TimeUnit.SECONDS);
                assertThat(r.events().getLast().name()).isEqualTo("end");
                assertThat(new JsonPath(r.events().getLast().data()).getLong("processedRows"))
                        .isEqualTo(9);
            }
            Await.until(
                    "the shared poll stops and the feed closes",
                    Duration.ofSeconds(5),
                    () -> events.sharedPolls() == 0 && events.feeds() == 0);
            assertThat(events.sharedPolls())
                    .as("the poll stops with the last watcher")
                    .isZero();
            assertThat(events.feeds()).as("the feed closes after its end event").isZero();
        } finally {
            pool.preparedQuery("update import_jobs set status = 'completed', lease_owner = null where id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
        }
    }

    @Test
    void cancelStopsARunningImportAndATakeoverResumesFromTheCheckpoint() throws Exception {
        String p = prefix();
        byte[] file = utf8(Csv.products(p, 30_000));
        String id = start(s3.put(file), null);
        Await.until(
                "500 rows are processed",
                Duration.ofSeconds(30),
                Duration.ofMillis(20),
                () -> as(TestTokens.viewer())
                                .get("/api/imports/{id}", id)
                                .then()
                                .extract()
                                .jsonPath()
                                .getLong("processedRows")
                        >= 500);
        long asked = System.nanoTime();
        JsonPath cancelled = as(TestTokens.editor())
                .post("/api/imports/{id}/cancel", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        assertThat((System.nanoTime() - asked) / 1_000_000).as("ms to stop").isLessThan(1500);
        long kept = countWithPrefix(p);
        assertThat(kept).as("skip mode keeps committed batches").isBetween(1L, 29_999L);
        assertThat(cancelled.getLong("processedRows")).isEqualTo(kept);

        // A runner whose lease another instance took over (it stalled past its lease) stops at its next
        // batch; the job is claimed again and resumes from its checkpoint to the table a clean run gives.
        String r = prefix();
        String taken = start(s3.put(utf8(Csv.products(r, 30_000))), null);
        Await.until(
                "500 rows of the second import are processed",
                Duration.ofSeconds(30),
                Duration.ofMillis(20),
                () -> as(TestTokens.viewer())
                                .get("/api/imports/{id}", taken)
                                .then()
                                .extract()
                                .jsonPath()
                                .getLong("processedRows")
                        >= 500);
        pool.preparedQuery(
                        "update import_jobs set lease_owner = 'dead-replica', lease_expires_at = now() - interval '1 second' "
                                + "where id = $1 and status = 'running'")
                .execute(Tuple.of(UUID.fromString(taken)))
                .await()
                .indefinitely();
        JsonPath resumed = completed(taken);
        assertThat(resumed.getLong("processedRows")).isEqualTo(30_000);
        assertThat(resumed.getLong("created")).isEqualTo(30_000);

        // The same file imported cleanly under another prefix gives the same table.
        String q = prefix();
        completed(start(s3.put(utf8(Csv.products(q, 30_000))), null));
        assertThat(Imports.checksum(r)).isEqualTo(Imports.checksum(q));
    }

    @Test
    void aQueuedImportIsCancelledAtOnce() {
        UUID id = UUID.randomUUID();
        // Hold the runners' claim lock meanwhile, so the job is still queued when the cancel arrives.
        var conn = pool.getConnection().await().indefinitely();
        try {
            conn.query("begin").execute().await().indefinitely();
            conn.preparedQuery("select pg_advisory_xact_lock($1)")
                    .execute(Tuple.of(0x51_1C_E0_02L))
                    .await()
                    .indefinitely();
            pool.preparedQuery(
                            "insert into import_jobs (id, filename, object_key, status, options, created_at) "
                                    + "values ($1, 'later.csv', 'later.csv', 'queued', '{\"mode\":\"apply\",\"onError\":\"skip\"}', now() + interval '1 hour')")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
            as(TestTokens.editor())
                    .post("/api/imports/{id}/cancel", id)
                    .then()
                    .statusCode(200)
                    .body("status", Matchers.equalTo("cancelled"));
        } finally {
            conn.query("rollback").execute().await().indefinitely();
            conn.close().await().indefinitely();
        }
        as(TestTokens.editor())
                .post("/api/imports/{id}/cancel", UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void anImportWhoseFileVanishedFailsWithAReason() {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("insert into import_jobs (id, filename, object_key, status, options, bytes_total) "
                        + "values ($1, 'gone.csv', $2, 'queued', '{\"mode\":\"apply\",\"onError\":\"skip\"}', 100)")
                .execute(Tuple.of(id, "test/gone-" + id + ".csv"))
                .await()
                .indefinitely();
        JsonPath job = Imports.await(id.toString());
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("errorMessage")).contains("no longer in the bucket");
    }
}
