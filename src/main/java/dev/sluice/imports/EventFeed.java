package dev.sluice.imports;

import dev.sluice.progress.ProgressSnapshot;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One job's events on this instance, shared by all its watchers here. Its sources (see
 * {@link ImportEvents}) go through one {@link ImportEvents.Emitter}; each event it decides is
 * encoded once ({@link SseFrames}) and handed to every event loop that has watchers of the job, as
 * one task per loop ({@link FeedLoop}). A new watcher starts from the feed's current frame.
 */
final class EventFeed {
    private static final Logger LOG = Logger.getLogger(EventFeed.class);
    private final UUID job;
    private final ImportEvents events;
    private final ImportEvents.Emitter emitter = new ImportEvents.Emitter(0);
    /** The highest Last-Event-ID of a watcher: the emitter numbers above it (read by the merge, raised by joins). */
    private final AtomicLong taken = new AtomicLong();
    /** The loops with watchers, the newest frame and a failure before any: guarded by this. */
    private final List<FeedLoop> loops = new ArrayList<>();

    private Frame current;
    private Throwable failure;
    /** Frames made so far: only the merge (serial) touches it. */
    private long frames;

    private volatile Cancellable subscription;
    private volatile boolean stopped;
    /** Guarded by the registry's map (compute). */
    int watchers;

    EventFeed(UUID job, ImportEvents events) {
        this.job = job;
        this.events = events;
    }

    UUID job() {
        return job;
    }

    ImportEvents events() {
        return events;
    }

    /** Runs on the watcher's event loop ({@code loop}). */
    void join(Watcher w, Context loop) {
        if (w.resumedAfter > 0) taken.accumulateAndGet(w.resumedAfter, Math::max);
        FeedLoop target = null;
        Throwable failed;
        synchronized (this) {
            for (FeedLoop l : loops) if (l.context == loop) target = l;
            if (target == null) {
                target = new FeedLoop(loop, this);
                // Either a frame published from now on reaches this loop, or it is current here: both is fine.
                target.store(current);
                loops.add(target);
            }
            failed = failure;
        }
        target.add(w, failed);
    }

    void start(Multi<ImportEvents.Source> sources) {
        Cancellable c = sources.onItem()
                .transformToIterable(this::decide)
                .select()
                .first(item -> item != ImportEvents.Item.END)
                .subscribe()
                .with(this::publish, this::failed, () -> events.closed(this));
        subscription = c;
        if (stopped) c.cancel();
    }

    /** The last watcher left: no more Redis subscription, poll or heartbeat for this job here. */
    void stop() {
        stopped = true;
        Cancellable c = subscription;
        if (c != null) c.cancel();
    }

    void left() {
        events.left(this);
    }

    synchronized void dropLoop(FeedLoop l) {
        if (l.isEmpty()) loops.remove(l);
    }

    private List<ImportEvents.Item> decide(ImportEvents.Source source) {
        emitter.raise(taken.get());
        return emitter.accept(source);
    }

    private void publish(ImportEvents.Item item) {
        if (item.heartbeat()) {
            for (FeedLoop l : loops()) l.context.runOnContext(v -> l.onHeartbeat());
            return;
        }
        ProgressSnapshot data = item.data();
        Frame f = new Frame(frames++, item, SseFrames.event(item.name(), item.id(), events.json(data)));
        List<FeedLoop> targets;
        synchronized (this) {
            current = f;
            targets = List.copyOf(loops);
        }
        for (FeedLoop l : targets) l.context.runOnContext(v -> l.onFrame(f));
    }

    private void failed(Throwable e) {
        List<FeedLoop> targets;
        synchronized (this) {
            failure = e;
            if (current != null) LOG.warnf("Progress events of %s stopped: %s", job, e.toString());
            targets = List.copyOf(loops);
        }
        events.closed(this);
        for (FeedLoop l : targets) l.context.runOnContext(v -> l.onFailure(e));
    }

    private synchronized List<FeedLoop> loops() {
        return List.copyOf(loops);
    }
}
