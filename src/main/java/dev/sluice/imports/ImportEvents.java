package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.progress.ProgressHub;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.progress.ProgressSnapshot;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The event stream of one import: the current snapshot, then every update (from Redis, on any
 * replica), then one terminal event, then the end. Between updates, a heartbeat. The database is
 * polled as a safety net, so the stream still moves and still ends when Redis is down.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup   // registers its gauge at start, before the first stream
public class ImportEvents {
    /** What the resource turns into SSE: an event (name, id, data) or a heartbeat comment. */
    public record Item(String name, long id, ProgressSnapshot data) {
        static final Item HEARTBEAT = new Item(null, 0, null);
        static final Item END = new Item("<end>", 0, null);

        public boolean heartbeat() {
            return name == null;
        }
    }

    private final ProgressHub hub;
    private final ProgressPublisher publisher;
    private final ImportSql sql;
    private final Duration heartbeat;
    private final Duration dbPoll;
    private final Map<UUID, Multi<ProgressSnapshot>> polls = new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicInteger subscribers = new java.util.concurrent.atomic.AtomicInteger();

    public ImportEvents(ProgressHub hub, ProgressPublisher publisher, ImportSql sql,
                        @ConfigProperty(name = "app.imports.sse-heartbeat", defaultValue = "15s") Duration heartbeat,
                        @ConfigProperty(name = "app.imports.sse-db-poll", defaultValue = "2s") Duration dbPoll,
                        io.micrometer.core.instrument.MeterRegistry meters) {
        io.micrometer.core.instrument.Gauge.builder("sluice.sse.subscribers", subscribers, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Open import-progress SSE streams on this instance").register(meters);
        this.hub = hub;
        this.publisher = publisher;
        this.sql = sql;
        this.heartbeat = heartbeat;
        this.dbPoll = dbPoll;
    }

    public Multi<Item> stream(UUID id, long lastEventId) {
        return sql.snapshot(id).onItem().ifNull().failWith(() -> ApiException.notFound("Import", id))
                .onItem().transformToMulti(db -> {
                    Emitter state = new Emitter(lastEventId);
                    Uni<ProgressSnapshot> initial = publisher.latest(id).onFailure().recoverWithNull()
                            .map(redis -> redis == null || (db.terminal() && !redis.terminal()) ? db : redis);
                    Multi<Object> sources = Multi.createBy().merging().streams(
                            Multi.createFrom().uni(initial).map(s -> (Object) s),
                            hub.stream(id).map(s -> (Object) s).onFailure().recoverWithCompletion(),
                            polled(id).map(s -> (Object) new Polled(s)),
                            Multi.createFrom().ticks().startingAfter(heartbeat).every(heartbeat).map(t -> (Object) Item.HEARTBEAT));
                    return sources.onItem().transformToIterable(state::accept).select().first(item -> item != Item.END)
                            .onSubscription().invoke(x -> subscribers.incrementAndGet())
                            .onTermination().invoke(subscribers::decrementAndGet);
                });
    }

    /**
     * The database poll (progress when Redis is down, and a safety net when it isn't), one per job on
     * this instance, shared by all local streams of it: ten thousand watchers cost one query every
     * {@code dbPoll}, not ten thousand. It starts with the first stream and stops after the last.
     */
    private Multi<ProgressSnapshot> polled(UUID id) {
        return Multi.createFrom().deferred(() -> polls.computeIfAbsent(id, k -> {
            java.util.concurrent.atomic.AtomicReference<Multi<ProgressSnapshot>> self = new java.util.concurrent.atomic.AtomicReference<>();
            Multi<ProgressSnapshot> shared = Multi.createFrom().ticks().startingAfter(dbPoll).every(dbPoll)
                    .onItem().transformToUniAndConcatenate(t -> sql.snapshot(id).onFailure().recoverWithNull())
                    .select().where(java.util.Objects::nonNull)
                    .onTermination().invoke(() -> polls.remove(id, self.get()))
                    .broadcast().withCancellationAfterLastSubscriberDeparture().toAllSubscribers();
            self.set(shared);
            return shared;
        }));
    }

    int sharedPolls() {
        return polls.size();
    }

    private record Polled(ProgressSnapshot snapshot) {}

    /** Decides what to send; called serially by the merge. */
    private static final class Emitter {
        long lastSeq;
        long lastRows = -1;
        boolean sentAny;

        Emitter(long lastSeq) {
            this.lastSeq = lastSeq;
        }

        List<Item> accept(Object o) {
            if (o == Item.HEARTBEAT) return List.of(Item.HEARTBEAT);
            boolean polled = o instanceof Polled;
            ProgressSnapshot s = polled ? ((Polled) o).snapshot() : (ProgressSnapshot) o;
            if (s.terminal()) {
                // The final word, from Redis or the database: end after it.
                return List.of(new Item("end", Math.max(lastSeq, s.seq()) + (s.seq() > lastSeq ? 0 : 1), s), Item.END);
            }
            if (s.seq() > 0 && s.seq() <= lastSeq) return List.of(); // already seen (reconnect) or out of order
            if (s.seq() == 0 && sentAny && s.processedRows() <= lastRows) return List.of(); // a poll with nothing new
            lastSeq = Math.max(lastSeq, s.seq());
            lastRows = s.processedRows();
            sentAny = true;
            return List.of(new Item("progress", lastSeq, s));
        }
    }
}
