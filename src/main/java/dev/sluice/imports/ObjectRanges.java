package dev.sluice.imports;

import dev.sluice.spreadsheet.RangeSource;
import dev.sluice.upload.ObjectStore;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.stream.Stream;

/**
 * An S3 object as a {@link RangeSource}: ranged GETs, and bounded ranged GETs streamed with
 * backpressure (a few network buffers ahead of the reader). Blocking: the XLSX reader runs on a
 * worker thread, never on the event loop.
 */
final class ObjectRanges implements RangeSource {
    /** Network buffers allowed to wait for the reader. */
    private static final int AHEAD = 4;

    private final ObjectStore store;
    private final String key;
    private final long size;
    private final Duration timeout;

    ObjectRanges(ObjectStore store, String key, long size, Duration timeout) {
        this.store = store;
        this.key = key;
        this.size = size;
        this.timeout = timeout;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte[] read(long offset, int length) {
        if (offset >= size || length <= 0) return new byte[0];
        int n = (int) Math.min(length, size - offset);
        return store.range(key, offset, n).await().atMost(timeout);
    }

    @Override
    public InputStream stream(long offset, long length) {
        long n = Math.max(0, Math.min(length, size - offset));
        Stream<ByteBuffer> buffers =
                store.read(key, offset, n).subscribe().asStream(AHEAD, () -> new ArrayBlockingQueue<>(AHEAD));
        return new BuffersInput(buffers);
    }

    /** Reads through the buffers as they arrive; closing cancels the GET. */
    private static final class BuffersInput extends InputStream {
        private final Stream<ByteBuffer> stream;
        private final Iterator<ByteBuffer> buffers;
        private ByteBuffer current;

        BuffersInput(Stream<ByteBuffer> stream) {
            this.stream = stream;
            this.buffers = stream.iterator();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (current == null || !current.hasRemaining()) {
                if (!buffers.hasNext()) return -1;
                current = buffers.next();
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
