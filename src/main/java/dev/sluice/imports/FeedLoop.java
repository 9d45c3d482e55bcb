package dev.sluice.imports;

import io.vertx.core.Context;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * The watchers of one feed whose connections live on one event loop, with the feed's last frames.
 * Everything here runs on that loop: a frame arrives as one task per loop (not one per watcher) and
 * each connection is written from its own thread, so nothing is locked and nothing is queued twice.
 *
 * <p>A watcher whose connection can't take more (its socket and Vert.x's write queue are full) is
 * left where it is and caught up when the connection drains, from this ring of the feed's last
 * {@value #BEHIND_LIMIT} frames: so no event is skipped for a client that is merely slower for a
 * while. One that falls further behind is closed rather than skipped ahead: its memory is given back
 * at once (the queued bytes, the kernel's buffers), and EventSource reconnects by itself with
 * Last-Event-ID and gets the current snapshot first, so it ends up where skipping would have taken
 * it, without a gap hidden inside one stream.
 */
final class FeedLoop {
    private static final Logger LOG = Logger.getLogger(FeedLoop.class);
    /** Frames a watcher may lag behind beyond what its connection buffers, before it is closed. */
    static final int BEHIND_LIMIT = 32;
    /** How long after the end event a watcher still draining it may take before it is closed. */
    static final long HANG_UP_AFTER_END_MILLIS = 30_000;

    final Context context;
    private final EventFeed feed;
    private final Frame[] ring = new Frame[BEHIND_LIMIT];
    private long newest = -1;
    private Watcher[] watchers = new Watcher[16];
    private int size;

    FeedLoop(Context context, EventFeed feed) {
        this.context = context;
        this.feed = feed;
    }

    /** Takes a frame the loop may not have had yet; false if it already had it (or a later one). */
    boolean store(Frame f) {
        if (f == null || f.index() <= newest) return false;
        ring[(int) (f.index() % BEHIND_LIMIT)] = f;
        newest = f.index();
        return true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** A new watcher's first frame is the newest one here (the current snapshot), or the feed's first. */
    void add(Watcher w, Throwable failed) {
        if (failed != null) {
            w.sink.fail(failed);
            feed.left();
            return;
        }
        w.next = Math.max(newest, 0);
        if (size == watchers.length) watchers = Arrays.copyOf(watchers, size * 2);
        w.slot = size;
        watchers[size++] = w;
        w.sink.handlers(() -> pump(w), () -> drop(w));
        if (w.sink.closed()) { // the client left while it was being let in
            drop(w);
            return;
        }
        pump(w);
    }

    void onFrame(Frame f) {
        if (!store(f)) return;
        // Backwards: a watcher that ends or is dropped here swaps in the last one, already served.
        for (int i = size - 1; i >= 0; i--) pump(watchers[i]);
        if (f.terminal() && size > 0) context.owner().setTimer(HANG_UP_AFTER_END_MILLIS, t -> hangUpAll());
    }

    /** A keep-alive comment for every watcher that is up to date (one that is behind has bytes on their way). */
    void onHeartbeat() {
        for (int i = size - 1; i >= 0; i--) {
            Watcher w = watchers[i];
            try {
                if (w.started() && w.next > newest && !w.sink.writeQueueFull()) w.sink.send(SseFrames.KEEP_ALIVE);
            } catch (RuntimeException e) {
                drop(w);
            }
        }
    }

    /** The feed broke or could not start: a problem to those who have nothing yet, a hang-up to the others. */
    void onFailure(Throwable e) {
        for (int i = size - 1; i >= 0; i--) {
            Watcher w = watchers[i];
            drop(w);
            w.sink.fail(e);
        }
    }

    /** Writes what the watcher lacks while its connection takes it. */
    void pump(Watcher w) {
        try {
            while (!w.done && w.next <= newest) {
                if (newest - w.next >= BEHIND_LIMIT) {
                    tooSlow(w);
                    return;
                }
                if (w.sink.writeQueueFull()) return; // the drain handler pumps again
                Frame f = ring[(int) (w.next++ % BEHIND_LIMIT)];
                if (w.take(f, feed.events())) {
                    drop(w);
                    return;
                }
            }
        } catch (RuntimeException e) { // the connection went away under the write
            LOG.debugf("SSE watcher dropped: %s", e.getMessage());
            drop(w);
        }
    }

    private void tooSlow(Watcher w) {
        LOG.debugf("SSE watcher of %s more than %d events behind: closed", feed.job(), BEHIND_LIMIT);
        drop(w);
        feed.events().tooSlow();
        w.sink.close();
    }

    private void hangUpAll() {
        for (int i = size - 1; i >= 0; i--) {
            Watcher w = watchers[i];
            drop(w);
            w.sink.close();
        }
    }

    /** Removes a watcher (once): swaps the last one into its slot. */
    private void drop(Watcher w) {
        if (w.done) return;
        w.done = true;
        int last = --size;
        Watcher moved = watchers[last];
        watchers[w.slot] = moved;
        moved.slot = w.slot;
        watchers[last] = null;
        if (size == 0) feed.dropLoop(this);
        feed.left();
    }
}
