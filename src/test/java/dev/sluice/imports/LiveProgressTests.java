package dev.sluice.imports;

import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.progress.ProgressHub;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.progress.ProgressSnapshot;
import dev.sluice.support.Await;
import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.RedisProxy;
import dev.sluice.support.S3Files;
import dev.sluice.support.SseClient;
import dev.sluice.support.TcpProxy;
import dev.sluice.support.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One import's SSE stream while Redis is healthy, gone from the start, gone mid-import, and while the
 * job runs on another replica: one sequence of ids, counts that never go back, a rate and ETA that never
 * drop to zero, and the database speaking only when pub/sub is silent. Redis is reached through a
 * proxy the tests can cut, so the machine's shared Redis is never stopped.
 */
@QuarkusTest
@TestProfile(LiveProgressTests.RedisBehindAProxy.class)
class LiveProgressTests {
    private static TcpProxy proxy;

    /** Redis through a proxy the test can cut ({@link RedisProxy}). */
    public static class RedisBehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.hosts",
                    RedisProxy.url("progress"),
                    // Polls often enough that a few seconds of import see several of them.
                    "app.imports.sse-db-poll",
                    "1s");
        }
    }

    @BeforeAll
    static void startProxy() throws IOException {
        if (proxy == null) proxy = RedisProxy.start("progress");
    }

    @AfterEach
    void restoreRedis() {
        proxy.restore();
    }

    @Inject
    S3Files s3;

    @Inject
    Pool pool;

    @Inject
    ProgressPublisher publisher;

    @Inject
    ProgressHub hub;

    @TestHTTPResource("/")
    URL base;

    private SseClient.Result follow(String id, Predicate<SseClient.Event> onEvent) throws Exception {
        return SseClient.read(
                base + "api/imports/" + id + "/events",
                Map.of("Authorization", "Bearer " + TestTokens.viewer()),
                onEvent,
                Duration.ofSeconds(90));
    }

    private static JsonPath data(SseClient.Event e) {
        return new JsonPath(e.data());
    }

    private static final List<String> COUNTS =
            List.of("processedRows", "bytesRead", "created", "updated", "unchanged", "rejected", "duplicates");

    /**
     * What every stream must look like: ids strictly increasing with the data's seq equal to the id,
     * no count going back, and a running import that has processed rows always with a rate and an ETA.
     */
    private static void assertSteady(List<SseClient.Event> events) {
        assertThat(events).isNotEmpty();
        assertThat(events.getLast().name()).isEqualTo("end");
        long previousId = 0;
        JsonPath previous = null;
        for (SseClient.Event e : events) {
            JsonPath d = data(e);
            long id = Long.parseLong(e.id());
            assertThat(id).as("event id after %s: %s", previousId, e.data()).isGreaterThan(previousId);
            assertThat(d.getLong("seq")).as("seq in %s", e.data()).isEqualTo(id);
            if (previous != null) {
                for (String c : COUNTS) {
                    assertThat(d.getLong(c))
                            .as("%s in %s after %s", c, e.data(), previous.prettify())
                            .isGreaterThanOrEqualTo(previous.getLong(c));
                }
            }
            if ("running".equals(d.getString("status")) && d.getLong("processedRows") > 0) {
                assertThat(d.getDouble("rowsPerSecond"))
                        .as("rate in %s", e.data())
                        .isPositive();
                assertThat(d.<Object>get("etaSeconds"))
                        .as("ETA in %s", e.data())
                        .isNotNull();
            }
            previousId = id;
            previous = d;
        }
        assertThat(data(events.getLast()).getString("status")).isEqualTo("completed");
    }

    private static long runningWithRows(List<SseClient.Event> events) {
        return events.stream()
                .filter(e -> "progress".equals(e.name()))
                .filter(e -> "running".equals(data(e).getString("status")) && data(e).getLong("processedRows") > 0)
                .count();
    }

    @Test
    void withRedisUpTheStreamIsOneSequenceWhoseRateNeverDropsToZero() throws Exception {
        String id = Imports.start(s3.put(utf8(Csv.products(prefix(), 30_000))), null);
        SseClient.Result r = follow(id, null);
        assertSteady(r.events());
        assertThat(runningWithRows(r.events()))
                .as("progress events while it ran")
                .isGreaterThanOrEqualTo(3);
        Imports.completed(id);
    }

    @Test
    void withRedisDownFromTheStartTheDatabaseCarriesTheSequenceAndTheRate() throws Exception {
        proxy.cut();
        // Big enough that the write phase (where rows are counted) outlasts two database polls.
        String id = Imports.start(s3.put(utf8(Csv.products(prefix(), 150_000))), null);
        SseClient.Result r = follow(id, null);
        assertSteady(r.events());
        assertThat(runningWithRows(r.events()))
                .as("database snapshots while it ran")
                .isGreaterThanOrEqualTo(2);
        Imports.completed(id);
    }

    @Test
    void whenRedisStopsMidImportTheDatabaseCarriesOnTheSameSequence() throws Exception {
        String id = Imports.start(s3.put(utf8(Csv.products(prefix(), 150_000))), null);
        AtomicInteger cutAt = new AtomicInteger(-1);
        List<SseClient.Event> seen = new ArrayList<>();
        SseClient.Result r = follow(id, e -> {
            seen.add(e);
            if (cutAt.get() < 0 && "progress".equals(e.name()) && data(e).getLong("processedRows") >= 1000) {
                cutAt.set(seen.size());
                proxy.cut();
            }
            return false;
        });
        assertThat(cutAt.get()).as("Redis was cut mid-import").isPositive();
        assertSteady(r.events());
        List<SseClient.Event> after = r.events().subList(cutAt.get(), r.events().size() - 1);
        assertThat(runningWithRows(after))
                .as("database snapshots after Redis stopped")
                .isGreaterThanOrEqualTo(2);
        Imports.completed(id);
    }

    @Test
    void aJobRunningOnAnotherReplicaIsFollowedFromItsPublishesAndFromTheDatabaseOnceItsPublisherIsGone()
            throws Exception {
        UUID id = UUID.randomUUID();
        long total = 1_000_000;
        pool.preparedQuery("""
                insert into import_jobs (id, filename, object_key, status, options, lease_owner, lease_expires_at, bytes_total,
                                         phase, scanned_bytes)
                values ($1, 'elsewhere.csv', 'nowhere.csv', 'running', '{"mode":"apply","onError":"skip"}', 'other-replica',
                        now() + interval '1 minute', $2, 'write', $2)""").execute(Tuple.of(id, total)).await().indefinitely();
        Map<Long, Long> seqOfRows = new ConcurrentHashMap<>();
        AtomicLong rows = new AtomicLong(100);
        try {
            // The other replica's runner: commit a batch, then publish. It has one published already.
            commit(id, rows.get()).await().atMost(Duration.ofSeconds(5));
            publish(id, rows.get(), total, seqOfRows).await().atMost(Duration.ofSeconds(5));
            CompletableFuture<SseClient.Result> stream = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return follow(id.toString(), null);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    Executors.newVirtualThreadPerTaskExecutor());
            Await.until("the SSE client subscribed here", Duration.ofSeconds(10), () -> hub.clients() > 0);

            // For three seconds it commits every 100 ms and publishes each batch one step late, so the
            // database is always ahead of pub/sub, as when a publish is skipped or still in flight.
            every(Duration.ofMillis(100), 30, () -> {
                long published = rows.get();
                return commit(id, rows.addAndGet(100)).chain(() -> publish(id, published, total, seqOfRows));
            });
            long lastPublishedRows = rows.get() - 100;
            long lastSeq = seqOfRows.get(lastPublishedRows);

            // Then its publisher is gone (Redis is fine): the database is all there is, for five seconds
            // (one poll interval of silence, then a read every second), then the end.
            every(Duration.ofMillis(200), 25, () -> commit(id, rows.addAndGet(100)));
            pool.preparedQuery(
                            "update import_jobs set status = 'completed', lease_owner = null, lease_expires_at = null, "
                                    + "completed_at = now() where id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();

            SseClient.Result r = stream.get(30, TimeUnit.SECONDS);
            assertSteady(r.events());
            for (SseClient.Event e : r.events()) {
                long n = data(e).getLong("processedRows");
                if (n <= lastPublishedRows) {
                    assertThat(seqOfRows)
                            .as("while it published, only its snapshots: %s", e.data())
                            .containsKey(n);
                    assertThat(Long.parseLong(e.id()))
                            .as("its seq: %s", e.data())
                            .isEqualTo(seqOfRows.get(n));
                    assertThat(data(e).getDouble("rowsPerSecond")).isEqualTo(1234.5);
                } else {
                    assertThat(Long.parseLong(e.id()))
                            .as("after its publishes: %s", e.data())
                            .isGreaterThan(lastSeq);
                }
            }
            List<SseClient.Event> fromDb = r.events().stream()
                    .filter(e -> "progress".equals(e.name()) && data(e).getLong("processedRows") > lastPublishedRows)
                    .toList();
            assertThat(fromDb).as("the database spoke once pub/sub was silent").hasSizeGreaterThanOrEqualTo(2);
            assertThat(fromDb)
                    .allSatisfy(e -> assertThat(data(e).getDouble("rowsPerSecond"))
                            .as("rate carried on")
                            .isEqualTo(1234.5));
            assertThat(data(r.events().getLast()).getLong("processedRows")).isEqualTo(rows.get());
        } finally {
            pool.preparedQuery("update import_jobs set status = 'completed', lease_owner = null where id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
        }
    }

    /** Runs {@code step} {@code times} times, one every {@code interval}, each after the previous one finished. */
    private static void every(Duration interval, int times, Supplier<Uni<?>> step) {
        Multi.createFrom()
                .ticks()
                .every(interval)
                .onOverflow()
                .drop()
                .select()
                .first(times)
                .onItem()
                .transformToUniAndConcatenate(t -> step.get())
                .collect()
                .last()
                .await()
                .atMost(interval.multipliedBy(times).plusSeconds(20));
    }

    private Uni<Void> commit(UUID id, long n) {
        return pool.preparedQuery(
                        "update import_jobs set processed_rows = $2, created = $2, bytes_read = $2 * 100 where id = $1")
                .execute(Tuple.of(id, n))
                .replaceWithVoid();
    }

    private Uni<Void> publish(UUID id, long n, long total, Map<Long, Long> seqOfRows) {
        ProgressSnapshot s = new ProgressSnapshot(
                0,
                id,
                "running",
                "write",
                total,
                n * 100,
                total,
                n,
                n,
                0,
                0,
                0,
                0,
                1234.5,
                (total - n * 100) / 1000,
                null);
        // The first seq a snapshot got: a repeat of it is not news, and no stream sends it again.
        return publisher
                .publish(s)
                .chain(() -> publisher.latest(id))
                .invoke(p -> seqOfRows.putIfAbsent(p.processedRows(), p.seq()))
                .replaceWithVoid();
    }
}
