package dev.sluice.imports;

import io.vertx.core.buffer.Buffer;

/**
 * One client of a feed: the index of the next frame it needs, and the last event id it has. These
 * few fields are all a watcher adds to its connection. Touched only on its connection's event loop.
 */
final class Watcher {
    final EventSink sink;
    /** The client's Last-Event-ID: a runner's snapshot numbered at or below it is one it has seen. */
    final long resumedAfter;

    private long lastId;
    private boolean started;
    private boolean sent;
    long next;
    int slot = -1;
    boolean done;

    Watcher(EventSink sink, long lastEventId) {
        this.sink = sink;
        this.resumedAfter = Math.max(0, lastEventId);
        this.lastId = resumedAfter;
    }

    boolean started() {
        return started;
    }

    /** Sends a frame, or skips one the client has; true when it was the end (the response is then over). */
    boolean take(Frame f, ImportEvents events) {
        ImportEvents.Item item = f.item();
        if (f.terminal()) {
            started = true;
            sink.finish(bytes(f, events));
            return true;
        }
        if (!sent && item.runnerSeq() > 0 && item.runnerSeq() <= resumedAfter) {
            if (!started) sink.open();
            started = true;
            return false;
        }
        started = true;
        sink.send(bytes(f, events));
        return false;
    }

    /**
     * The shared bytes when the frame's id is above what this client has, which is every frame but
     * the first after a resume from another numbering: then its own copy, numbered after what it has
     * (the feed raises its numbering above the client's, so the next frame is shared again).
     */
    private Buffer bytes(Frame f, ImportEvents events) {
        sent = true;
        ImportEvents.Item item = f.item();
        if (item.id() > lastId) {
            lastId = item.id();
            return f.bytes();
        }
        lastId++;
        return SseFrames.event(item.name(), lastId, events.json(item.data().withSeq(lastId)));
    }
}
