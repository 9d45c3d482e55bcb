package dev.sluice.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.Json;
import dev.sluice.common.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Publishes import progress on a Redis channel per job and keeps the latest snapshot, so an SSE
 * client on any replica sees it. Each snapshot gets the next number of a per-job Redis counter:
 * the SSE event id. Redis being down never fails an import: progress is then read from the database.
 */
@ApplicationScoped
public class ProgressPublisher {
    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);
    static final Duration KEEP = Duration.ofDays(1);
    /** A Redis that doesn't answer must not hold up an import or a stream: give up and carry on. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final RedisKeys keys;
    private final ObjectMapper json;
    private final AtomicBoolean warned = new AtomicBoolean();

    private final Counter failures;

    public ProgressPublisher(ReactiveRedisDataSource redis, RedisKeys keys, ObjectMapper json, MeterRegistry meters) {
        this.failures = Counter.builder("sluice.redis.publish.failures")
                .description("Progress events not published because Redis failed or was too slow")
                .register(meters);
        this.redis = redis;
        this.keys = keys;
        this.json = json;
    }

    public String channel(UUID jobId) {
        return keys.key("import", jobId.toString(), "progress");
    }

    public String snapshotKey(UUID jobId) {
        return keys.key("import", jobId.toString(), "snapshot");
    }

    private String seqKey(UUID jobId) {
        return keys.key("import", jobId.toString(), "seq");
    }

    public Uni<Void> publish(ProgressSnapshot snapshot) {
        UUID id = snapshot.jobId();
        return redis.value(Long.class)
                .incr(seqKey(id))
                .call(seq -> redis.key().expire(seqKey(id), KEEP))
                .map(seq -> toJson(snapshot.withSeq(seq)))
                .call(body -> redis.value(String.class).set(snapshotKey(id), body, new SetArgs().ex(KEEP)))
                .call(body -> redis.pubsub(String.class).publish(channel(id), body))
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .invoke(x -> warned.set(false))
                .onFailure()
                .invoke(e -> {
                    failures.increment();
                    if (warned.compareAndSet(false, true))
                        LOG.warnf("Progress not published (Redis): %s", e.getMessage());
                })
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    public Uni<ProgressSnapshot> latest(UUID jobId) {
        return redis.value(String.class)
                .get(snapshotKey(jobId))
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .map(s -> s == null ? null : fromJson(s));
    }

    public String toJson(ProgressSnapshot s) {
        return Json.write(json, s);
    }

    public ProgressSnapshot fromJson(String s) {
        try {
            return json.readValue(s, ProgressSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
