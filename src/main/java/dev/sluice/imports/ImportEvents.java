package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.progress.ProgressHub;
import dev.sluice.progress.ProgressPublisher;
import dev.sluice.progress.ProgressSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Context;
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
import org.jboss.logging.Logger;

/**
 * The event streams of imports on this instance. Every job followed here has one {@link EventFeed}
 * shared by all its watchers: one Redis subscription, one database poll, one heartbeat, one
 * {@link Emitter} that numbers the snapshots, and each event encoded once into a buffer that is
 * written as it is to every watcher's connection. A watcher costs its connection and a few fields,
 * not a reactive pipeline and a JSON encoding per event. The feed opens with the first watcher and
 * closes with the last, or after the job's end event.
 */
@ApplicationScoped
@Startup // registers its gauge at start, before the first stream
public class ImportEvents {
    private static final Logger LOG = Logger.getLogger(ImportEvents.class);

    /**
     * What the emitter decides to send: an event (name, id, data) or a heartbeat comment.
     * {@code runnerSeq} is the runner's own number for the snapshot (its Redis seq), 0 when it came
     * from the database: a resuming client that has that number is not sent it again.
     */
    public record Item(String name, long id, ProgressSnapshot data, long runnerSeq) {
        static final Item HEARTBEAT = new Item(null, 0, null, 0);
        static final Item END = new Item("<end>", 0, null, 0);

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
    private final Map<UUID, EventFeed> feeds = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final Counter closedBehind;

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
        this.closedBehind = Counter.builder("sluice.sse.closed.behind")
                .description("SSE streams closed because their client fell too far behind (it reconnects and resumes)")
                .register(meters);
        this.hub = hub;
        this.publisher = publisher;
        this.sql = sql;
        this.heartbeat = heartbeat;
        this.dbPoll = dbPoll;
    }

    /**
     * Adds a watcher of job {@code id} who has seen events up to {@code lastEventId}; its events go to
     * {@code sink}. Call on the event loop of the watcher's connection ({@code loop}, a root context):
     * the sink is only ever used there.
     */
    void watch(UUID id, long lastEventId, EventSink sink, Context loop) {
        boolean[] created = {false};
        EventFeed feed = feeds.compute(id, (k, existing) -> {
            EventFeed f = existing == null ? new EventFeed(id, this) : existing;
            created[0] = existing == null;
            f.watchers++;
            return f;
        });
        subscribers.incrementAndGet();
        feed.join(new Watcher(sink, lastEventId), loop);
        if (created[0]) feed.start(sources(id));
    }

    /** A watcher left (its client went away, or it got the end): the feed closes after the last one. */
    void left(EventFeed feed) {
        subscribers.decrementAndGet();
        feeds.computeIfPresent(feed.job(), (k, f) -> {
            if (f != feed) return f;
            f.watchers--;
            if (f.watchers > 0) return f;
            f.stop();
            return null;
        });
    }

    /** The feed ended (the job's end event, or it could not start): the next watcher opens a new one. */
    void closed(EventFeed feed) {
        feeds.remove(feed.job(), feed);
    }

    void tooSlow() {
        closedBehind.increment();
    }

    String json(ProgressSnapshot s) {
        return publisher.toJson(s);
    }

    /** Local feeds (jobs followed here), for tests. */
    int feeds() {
        return feeds.size();
    }

    /**
     * What one feed hears: the current snapshot once (Redis's latest and the database's), then the
     * runner's snapshots, the database while pub/sub is silent, and a heartbeat. An import that does
     * not exist fails it, before any event.
     */
    private Multi<Source> sources(UUID id) {
        return sql.snapshot(id)
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("Import", id))
                .onItem()
                .transformToMulti(db -> {
                    Multi<Source> initial = Multi.createFrom()
                            .uni(publisher
                                    .latest(id)
                                    .onFailure()
                                    .recoverWithNull()
                                    .map(redis -> (Source) new Initial(redis, db)));
                    return Multi.createBy()
                            .merging()
                            .streams(
                                    initial,
                                    hub.stream(id)
                                            .map(s -> (Source) new Published(s))
                                            .onFailure()
                                            .invoke(e ->
                                                    LOG.debugf("Progress of %s over pub/sub: %s", id, e.getMessage()))
                                            .onFailure()
                                            .recoverWithCompletion(),
                                    polled(id).map(s -> (Source) new Polled(s)),
                                    Multi.createFrom()
                                            .ticks()
                                            .startingAfter(heartbeat)
                                            .every(heartbeat)
                                            .onOverflow()
                                            .drop()
                                            .map(t -> (Source) new Beat()));
                });
    }

    /**
     * The database poll, one per job on this instance (its feed's): ten thousand watchers cost one
     * query every {@code dbPoll}, not ten thousand. It only reads (and speaks) while pub/sub has been
     * silent for a whole interval: Redis down, or the job's runner gone without a last word. With
     * Redis and the runner healthy it costs nothing and can't interleave its snapshots (no runner's
     * rate, a lag of up to a batch) with the runner's.
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
    sealed interface Source permits Initial, Published, Polled, Beat {}

    /** The stream's first word: Redis's latest snapshot (null if none or Redis is down) and the database's. */
    record Initial(ProgressSnapshot redis, ProgressSnapshot db) implements Source {}

    /** A runner's snapshot over pub/sub, numbered by the job's Redis counter. */
    record Published(ProgressSnapshot snapshot) implements Source {}

    /** A database snapshot: no number, and a rate only if the database could tell one. */
    record Polled(ProgressSnapshot snapshot) implements Source {}

    record Beat() implements Source {}

    /**
     * Decides what a feed sends; called serially by the merge. One sequence per feed: a runner's
     * snapshot keeps its Redis number unless the feed is already past it, a database snapshot takes
     * the next number, so ids strictly increase and the data's seq is always the id. Nothing that is
     * not ahead of what was sent goes out, so no count goes back; the terminal snapshot always does
     * (it is the job's final record). A database snapshot without a rate of its own carries on the
     * last rate and ETA the feed had. {@link #raise} lifts the numbering above a watcher's
     * Last-Event-ID, so that a client resuming from another replica's numbering shares the feed's
     * encoded events again after its first.
     */
    static final class Emitter {
        private long lastId;
        /** Numbers at or below it are taken (a resuming watcher has them), though nothing is skipped for it. */
        private long floor;

        private ProgressSnapshot last;
        private double rate;
        private Long eta;

        Emitter(long lastEventId) {
            this.lastId = Math.max(0, lastEventId);
        }

        void raise(long taken) {
            floor = Math.max(floor, taken);
        }

        /** The number after the last one sent or taken. */
        private long next() {
            return Math.max(lastId, floor) + 1;
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
            if (s.terminal()) return end(s, Math.max(next(), s.seq()), s.seq());
            // Before anything was sent, a number at or below Last-Event-ID is a snapshot the client has seen.
            if (last == null ? s.seq() <= lastId : !ahead(s, last)) return List.of();
            remember(s);
            return send(s, Math.max(next(), s.seq()), s.seq());
        }

        List<Item> polled(ProgressSnapshot s) {
            if (s.terminal()) return end(s, next(), 0);
            if (last != null && !ahead(s, last)) return List.of();
            if (s.rowsPerSecond() > 0) remember(s);
            else if (rate > 0 && ImportStatus.RUNNING.is(s.status())) s = s.withPace(rate, eta);
            return send(s, next(), 0);
        }

        private void remember(ProgressSnapshot s) {
            if (s.rowsPerSecond() > 0) {
                rate = s.rowsPerSecond();
                eta = s.etaSeconds();
            }
        }

        private List<Item> send(ProgressSnapshot s, long id, long runnerSeq) {
            lastId = id;
            last = s;
            return List.of(new Item("progress", id, s.withSeq(id), runnerSeq));
        }

        private List<Item> end(ProgressSnapshot s, long id, long runnerSeq) {
            lastId = id;
            return List.of(new Item("end", id, s.withSeq(id), runnerSeq), Item.END);
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
