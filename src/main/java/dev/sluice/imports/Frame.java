package dev.sluice.imports;

import io.vertx.core.buffer.Buffer;

/**
 * One event of a feed: what the emitter decided ({@code item}) and its bytes, encoded once.
 * {@code index} counts the feed's frames from 0, so each event loop can tell a frame it already has.
 */
record Frame(long index, ImportEvents.Item item, Buffer bytes) {
    boolean terminal() {
        return "end".equals(item.name());
    }
}
