package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.progress.ProgressHub;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.progress.ProgressSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The event stream of one import: the current snapshot, then every update (from Redis, on any
 * replica), then one terminal event, then the end. Between updates, a heartbeat. When pub/sub is
 * silent (Redis down, or the job's runner gone) the database is polled instead, on the same
 * sequence of ids, so the stream still moves and still ends.
 */
@ApplicationScoped
@Startup // registers its gauge at start, before the first stream
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
    private final Map<UUID, Multi<ProgressSnapshot>> polls = new ConcurrentHashMap<>();

    private final AtomicInteger subscribers = new AtomicInteger();

    public ImportEvents(
            ProgressHub hub,
            ProgressPublisher publisher,
            ImportSql sql,
            @ConfigProperty(name = "app.imports.sse-heartbeat", defaultValue = "15s") Duration heartbeat,
            @ConfigProperty(name = "app.imports.sse-db-poll", defaultValue = "2s") Duration dbPoll,
            MeterRegistry meters) {
        Gauge.builder("sluice.sse.subscribers", subscribers, AtomicInteger::get)
                .description("Open import-progress SSE streams on this instance")
                .register(meters);
        this.hub = hub;
        this.publisher = publisher;
        this.sql = sql;
        this.heartbeat = heartbeat;
        this.dbPoll = dbPoll;
    }

    public Multi<Item> stream(UUID id, long lastEventId) {
        return sql.snapshot(id)
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("Import", id))
                .onItem()
                .transformToMulti(db -> {
                    Emitter state = new Emitter(lastEventId);
                    Multi<Source> initial = Multi.createFrom()
                            .uni(publisher
                                    .latest(id)
                                    .onFailure()
                                    .recoverWithNull()
                                    .map(redis -> (Source) new Initial(redis, db)));
                    Multi<Source> sources = Multi.createBy()
                            .merging()
                            .streams(
                                    initial,
                                    hub.stream(id)
                                            .map(s -> (Source) new Published(s))
                                            .onFailure()
                                            .recoverWithCompletion(),
                                    polled(id).map(s -> (Source) new Polled(s)),
                                    Multi.createFrom()
                                            .ticks()
                                            .startingAfter(heartbeat)
                                            .every(heartbeat)
                                            .map(t -> (Source) new Beat()));
                    return sources.onItem()
                            .transformToIterable(state::accept)
                            .select()
                            .first(item -> item != Item.END)
                            .onSubscription()
                            .invoke(x -> subscribers.incrementAndGet())
                            .onTermination()
                            .invoke(subscribers::decrementAndGet);
                });
    }

    /**
     * The database poll, one per job on this instance, shared by all local streams of it: ten thousand
     * watchers cost one query every {@code dbPoll}, not ten thousand. It starts with the first stream
     * and stops after the last. It only reads (and speaks) while pub/sub has been silent for a whole
     * interval: Redis down, or the job's runner gone without a last word. With Redis and the runner
     * healthy it costs nothing and can't interleave its snapshots (no runner's rate, a lag of up to a
     * batch) with the runner's.
     */
    private Multi<ProgressSnapshot> polled(UUID id) {
        return Multi.createFrom()
                .deferred(() -> polls.computeIfAbsent(id, k -> {
                    AtomicReference<Multi<ProgressSnapshot>> self = new AtomicReference<>();
                    Multi<ProgressSnapshot> shared = Multi.createFrom()
                            .ticks()
                            .startingAfter(dbPoll)
                            .every(dbPoll)
                            .onOverflow()
                            .drop()
                            .select()
                            .where(t -> hub.silentFor(id, dbPoll))
                            .onItem()
                            .transformToUniAndConcatenate(
                                    t -> sql.snapshot(id).onFailure().recoverWithNull())
                            // Pub/sub may have spoken while the query ran: then it has the word again.
                            .select()
                            .where(s -> s != null && hub.silentFor(id, dbPoll))
                            .onTermination()
                            .invoke(() -> polls.remove(id, self.get()))
                            .broadcast()
                            .withCancellationAfterLastSubscriberDeparture()
                            .toAllSubscribers();
                    self.set(shared);
                    return shared;
                }));
    }

    int sharedPolls() {
        return polls.size();
    }

    /** What the merge carries to the emitter: where each snapshot came from decides how it is numbered. */
    private sealed interface Source permits Initial, Published, Polled, Beat {}

    /** The stream's first word: Redis's latest snapshot (null if none or Redis is down) and the database's. */
    private record Initial(ProgressSnapshot redis, ProgressSnapshot db) implements Source {}

    /** A runner's snapshot over pub/sub, numbered by the job's Redis counter. */
    private record Published(ProgressSnapshot snapshot) implements Source {}

    /** A database snapshot: no number, and a rate only if the database could tell one. */
    private record Polled(ProgressSnapshot snapshot) implements Source {}

    private record Beat() implements Source {}

    /**
     * Decides what one stream sends; called serially by the merge. One sequence per stream: a
     * runner's snapshot keeps its Redis number unless the stream is already past it, a database
     * snapshot takes the next number, so ids strictly increase and the data's seq is always the id.
     * Nothing that is not ahead of what was sent goes out, so no count goes back; the terminal
     * snapshot always does (it is the job's final record). A database snapshot without a rate of its
     * own carries on the last rate and ETA the stream had.
     */
    static final class Emitter {
        private long lastId;
        private ProgressSnapshot last;
        private double rate;
        private Long eta;

        Emitter(long lastEventId) {
            this.lastId = Math.max(0, lastEventId);
        }

        List<Item> accept(Source source) {
            return switch (source) {
                case Beat b -> List.of(Item.HEARTBEAT);
                case Initial i -> initial(i.redis(), i.db());
                case Published p -> published(p.snapshot());
                case Polled p -> polled(p.snapshot());
            };
        }

        /** Redis's latest while it is current; the database's when Redis has none, is behind, or missed the end. */
        List<Item> initial(ProgressSnapshot redis, ProgressSnapshot db) {
            if (redis == null) return polled(db);
            if (!(db.terminal() && !redis.terminal()) && notBehind(redis, db)) return published(redis);
            if (!redis.terminal()) remember(redis);
            lastId = Math.max(lastId, redis.seq());
            return polled(db);
        }

        List<Item> published(ProgressSnapshot s) {
            if (s.terminal()) return end(s, Math.max(lastId + 1, s.seq()));
            // Before anything was sent, a number at or below Last-Event-ID is a snapshot the client has seen.
            if (last == null ? s.seq() <= lastId : !ahead(s, last)) return List.of();
            remember(s);
            return send(s, Math.max(lastId + 1, s.seq()));
        }

        List<Item> polled(ProgressSnapshot s) {
            if (s.terminal()) return end(s, lastId + 1);
            if (last != null && !ahead(s, last)) return List.of();
            if (s.rowsPerSecond() > 0) remember(s);
            else if (rate > 0 && ImportStatus.RUNNING.is(s.status())) s = s.withPace(rate, eta);
            return send(s, lastId + 1);
        }

        private void remember(ProgressSnapshot s) {
            if (s.rowsPerSecond() > 0) {
                rate = s.rowsPerSecond();
                eta = s.etaSeconds();
            }
        }

        private List<Item> send(ProgressSnapshot s, long id) {
            lastId = id;
            last = s;
            return List.of(new Item("progress", id, s.withSeq(id)));
        }

        private List<Item> end(ProgressSnapshot s, long id) {
            lastId = id;
            return List.of(new Item("end", id, s.withSeq(id)), Item.END);
        }

        /** No count of {@code a} is below {@code b}'s. */
        static boolean notBehind(ProgressSnapshot a, ProgressSnapshot b) {
            return a.scannedBytes() >= b.scannedBytes()
                    && a.processedRows() >= b.processedRows()
                    && a.bytesRead() >= b.bytesRead()
                    && a.created() >= b.created()
                    && a.updated() >= b.updated()
                    && a.unchanged() >= b.unchanged()
                    && a.rejected() >= b.rejected()
                    && a.duplicates() >= b.duplicates();
        }

        /** Not behind, and news: a count moved on, or the status changed. */
        static boolean ahead(ProgressSnapshot a, ProgressSnapshot b) {
            return notBehind(a, b)
                    && (!a.status().equals(b.status())
                            || !Objects.equals(a.phase(), b.phase())
                            || a.scannedBytes() > b.scannedBytes()
                            || a.processedRows() > b.processedRows()
                            || a.bytesRead() > b.bytesRead()
                            || a.created() > b.created()
                            || a.updated() > b.updated()
                            || a.unchanged() > b.unchanged()
                            || a.rejected() > b.rejected()
                            || a.duplicates() > b.duplicates());
        }
    }
}
