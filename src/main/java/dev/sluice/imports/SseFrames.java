package dev.sluice.imports;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events as bytes. An event is encoded once, into a direct buffer that every watcher's
 * connection writes as it is: Vert.x hands each write an unreleasable slice of it, and a direct
 * buffer is not copied again on its way to the socket, so 50,000 watchers share one copy of each
 * event. Direct memory from {@link ByteBuffer#allocateDirect} is freed by the garbage collector once
 * no connection and no feed refers to the event any more.
 */
final class SseFrames {
    /** How long a client waits before it reconnects (sent with every event, as the {@code retry:} field). */
    static final int RETRY_MILLIS = 3000;

    static final Buffer KEEP_ALIVE = direct(": keep-alive\n\n");

    private SseFrames() {}

    /** {@code json} is one line (Jackson escapes line breaks inside strings), so one data field holds it. */
    static Buffer event(String name, long id, String json) {
        return direct("id:" + id + "\nevent:" + name + "\nretry:" + RETRY_MILLIS + "\ndata:" + json + "\n\n");
    }

    private static Buffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer memory = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Buffer.buffer(Unpooled.wrappedBuffer(memory));
    }
}
