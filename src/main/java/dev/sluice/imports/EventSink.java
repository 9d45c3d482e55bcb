package dev.sluice.imports;

import io.vertx.core.buffer.Buffer;

/**
 * One watcher's connection as a feed sees it (the HTTP side implements it). Used only on that
 * connection's event loop, so an implementation needs no locking.
 */
interface EventSink {
    /** Sends the response's head (200, text/event-stream) when the first event is one the client already has. */
    void open();

    /** Whether the connection holds more unsent bytes than it should: then nothing more is written until it drains. */
    boolean writeQueueFull();

    /** Writes one encoded event (shared with other watchers: the sink must not change it). */
    void send(Buffer frame);

    /** Writes the last event and ends the response. */
    void finish(Buffer frame);

    /** The stream can't go on: a problem if nothing was sent yet (no such import, database down), else hang up. */
    void fail(Throwable e);

    /** Hangs up (the client fell too far behind, or its import ended long ago). */
    void close();

    boolean closed();

    /** Calls {@code drained} when a full write queue has room again, {@code gone} when the connection closes. */
    void handlers(Runnable drained, Runnable gone);
}
