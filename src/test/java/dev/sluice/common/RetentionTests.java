package dev.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.Api;
import dev.sluice.support.Db;
import dev.sluice.support.S3Files;
import dev.sluice.upload.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The clean-up jobs delete what is old and nothing else, and run once across replicas. */
@QuarkusTest
class RetentionTests {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Inject
    S3Files s3;

    @Inject
    ObjectStore store;

    @Inject
    MaintenanceRuns runs;

    @Inject
    RetentionJobs jobs;

    private static long count(String sql, Object... args) {
        return Db.scalar(sql, args);
    }

    private void exec(String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(WAIT);
    }

    private static <T> T await(Supplier<Uni<T>> uni) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(uni);
    }

    @Test
    void oldEndedDeliveriesGoPendingAndRecentOnesStay() throws Throwable {
        UUID endpoint = UUID.randomUUID();
        exec(
                "insert into webhook_endpoints (id, url, events, secret, active) values ($1, 'http://127.0.0.1:9/r', '{*}', 'whsec_eA==', false)",
                endpoint);
        UUID oldEvent = UUID.randomUUID(), newEvent = UUID.randomUUID();
        exec(
                "insert into webhook_events (id, type, payload, created_at) values ($1, 'test', '{}', now() - interval '40 days'), ($2, 'test', '{}', now())",
                oldEvent,
                newEvent);
        UUID oldDone = UUID.randomUUID(), oldPending = UUID.randomUUID(), recentDone = UUID.randomUUID();
        exec("""
                insert into webhook_deliveries (id, event_id, endpoint_id, event_type, status, created_at, completed_at) values
                ($1, $4, $5, 'test', 'succeeded', now() - interval '40 days', now() - interval '40 days'),
                ($2, $4, $5, 'test', 'pending',   now() - interval '40 days', null),
                ($3, $6, $5, 'test', 'failed',    now(),                      now())""", oldDone, oldPending, recentDone, oldEvent, endpoint, newEvent);
        exec(
                "insert into webhook_attempts (delivery_id, attempt, status_code, attempted_at) values ($1, 1, 200, now() - interval '40 days')",
                oldDone);

        MaintenanceRuns.Result r = await(() -> jobs.run("webhook-deliveries", Duration.ZERO));
        assertThat(r.ran()).isTrue();
        assertThat(count("select count(*) from webhook_deliveries where id = any($1)", (Object) new UUID[] {oldDone}))
                .isZero();
        assertThat(count("select count(*) from webhook_attempts where delivery_id = $1", oldDone))
                .isZero();
        assertThat(count("select count(*) from webhook_deliveries where id = any($1)", (Object)
                        new UUID[] {oldPending, recentDone}))
                .isEqualTo(2);
        // The old event still has a pending delivery: kept.
        assertThat(count("select count(*) from webhook_events where id = $1", oldEvent))
                .isEqualTo(1);
        exec("delete from webhook_deliveries where id = $1", oldPending);
        await(() -> jobs.run("webhook-deliveries", Duration.ZERO));
        assertThat(count("select count(*) from webhook_events where id = $1", oldEvent))
                .isZero();
        assertThat(count("select count(*) from webhook_events where id = $1", newEvent))
                .isEqualTo(1);
        exec("delete from webhook_endpoints where id = $1", endpoint);
    }

    @Test
    void auditEntriesOlderThanTheRetentionAreDeleted() throws Throwable {
        UUID old = UUID.randomUUID(), recent = UUID.randomUUID();
        exec(
                "insert into audit_log (id, at, action, entity) values ($1, now() - interval '400 days', 'test.old', 'test'), ($2, now() - interval '300 days', 'test.recent', 'test')",
                old,
                recent);
        await(() -> jobs.run("audit-log", Duration.ZERO));
        assertThat(count("select count(*) from audit_log where id = $1", old)).isZero();
        assertThat(count("select count(*) from audit_log where id = $1", recent))
                .isEqualTo(1);
    }

    @Test
    void expiredRefreshTokensAndSessionsArePurged() throws Throwable {
        UUID user = UUID.fromString(Api.newUser("VIEWER").get("id"));
        UUID expired = UUID.randomUUID(), live = UUID.randomUUID();
        exec(
                "insert into auth_sessions (id, user_id, expires_at) values ($1, $3, now() - interval '1 day'), ($2, $3, now() + interval '1 day')",
                expired,
                live,
                user);
        exec("""
                insert into refresh_tokens (token_hash, session_id, expires_at) values
                ($1, $3, now() - interval '1 day'), ($2, $4, now() - interval '1 minute'), ($5, $4, now() + interval '1 day')""", "old-" + expired, "old-" + live, expired, live, "new-" + live);
        await(() -> jobs.run("expired-sessions", Duration.ZERO));
        assertThat(count("select count(*) from auth_sessions where id = $1", expired))
                .isZero();
        assertThat(count("select count(*) from auth_sessions where id = $1", live))
                .isEqualTo(1);
        assertThat(count("select count(*) from refresh_tokens where session_id = any($1)", (Object)
                        new UUID[] {expired, live}))
                .isEqualTo(1);
        assertThat(count("select count(*) from refresh_tokens where token_hash = $1", "new-" + live))
                .isEqualTo(1);
    }

    @Test
    void filesOfLongFinishedImportsAreDeletedUnlessStillNeeded() throws Throwable {
        String oldKey = s3.put("sku,name\nA,B\n".getBytes()),
                recentKey = s3.put("sku,name\nA,B\n".getBytes()),
                sharedKey = s3.put("sku,name\nA,B\n".getBytes());
        UUID oldJob = UUID.randomUUID(),
                recentJob = UUID.randomUUID(),
                sharedOld = UUID.randomUUID(),
                sharedQueued = UUID.randomUUID();
        String insert =
                "insert into import_jobs (id, filename, object_key, status, options, completed_at) values ($1, 'f.csv', $2, $3, '{}', now() - $4 * interval '1 day')";
        exec(insert, oldJob, oldKey, "completed", 10);
        exec(insert, recentJob, recentKey, "failed", 1);
        exec(insert, sharedOld, sharedKey, "completed", 10);
        // Queued (far in the future, so no runner takes it during the test) and sharing the old job's file.
        exec(
                "insert into import_jobs (id, filename, object_key, status, options, created_at) values ($1, 'f.csv', $2, 'cancelled', '{}', now())",
                sharedQueued,
                sharedKey);
        exec("update import_jobs set completed_at = now() where id = $1", sharedQueued);

        await(() -> jobs.run("import-objects", Duration.ZERO));
        assertThat(await(() -> store.size(oldKey))).isNull();
        assertThat(count("select count(*) from import_jobs where id = $1 and object_deleted_at is not null", oldJob))
                .isEqualTo(1);
        assertThat(await(() -> store.size(recentKey))).isNotNull();
        assertThat(await(() -> store.size(sharedKey)))
                .as("still needed by a recent import")
                .isNotNull();
        assertThat(count("select count(*) from import_jobs where id = $1 and object_deleted_at is null", sharedOld))
                .isEqualTo(1);
        exec("delete from import_jobs where id = any($1)", (Object)
                new UUID[] {oldJob, recentJob, sharedOld, sharedQueued});
    }

    @Test
    void aJobRunsOnceAcrossReplicasAndNotAgainWithinItsInterval() throws Throwable {
        String job = "test-" + UUID.randomUUID();
        AtomicInteger executions = new AtomicInteger();
        Supplier<Uni<Long>> slowWork = () -> Uni.createFrom()
                .item(() -> (long) executions.incrementAndGet())
                .onItem()
                .delayIt()
                .by(Duration.ofMillis(500));
        // Two "replicas" at the same moment: one runs, the other skips.
        var first = runs.runOnce(job, Duration.ZERO, slowWork).subscribeAsCompletionStage();
        var second = runs.runOnce(job, Duration.ZERO, slowWork).subscribeAsCompletionStage();
        var a = first.get(10, TimeUnit.SECONDS);
        var b = second.get(10, TimeUnit.SECONDS);
        assertThat(a.ran() ^ b.ran()).isTrue();
        assertThat(executions.get()).isEqualTo(1);
        // Within the interval, a later trigger on any replica skips; after it, it runs.
        assertThat(await(() -> runs.runOnce(job, Duration.ofHours(1), slowWork)).ran())
                .isFalse();
        assertThat(await(() -> runs.runOnce(job, Duration.ZERO, slowWork)).ran())
                .isTrue();
        assertThat(executions.get()).isEqualTo(2);
    }

    @Test
    void everyCleanUpIsScheduled() throws Throwable {
        for (String task :
                List.of("webhook-deliveries", "audit-log", "expired-sessions", "import-objects", "abandoned-uploads")) {
            assertThat(await(() -> jobs.run(task, Duration.ZERO)).ran())
                    .as(task)
                    .isTrue();
        }
    }
}
