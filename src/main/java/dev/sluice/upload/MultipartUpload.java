package dev.sluice.upload;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One object written to S3 as its bytes arrive, one part at a time: memory stays at one part, and
 * nothing touches local disk. The caller feeds bytes with {@link #add}; when that says a part is
 * full, it pauses its source until {@link #sendPart} completes (backpressure). Not thread-safe: one
 * stream (one event loop) feeds it.
 */
public final class MultipartUpload {
    private static final Logger LOG = Logger.getLogger(MultipartUpload.class);
    /** S3's minimum part size; every part but the last must be at least this. */
    public static final int PART_SIZE = 8 * 1024 * 1024;

    private final ObjectStore store;
    private final String key;
    private final String contentType;
    private final List<UploadedPart> parts = new ArrayList<>();
    private Buffer pending = Buffer.buffer();
    private long size;
    private String uploadId;

    MultipartUpload(ObjectStore store, String key, String contentType) {
        this.store = store;
        this.key = key;
        this.contentType = contentType;
    }

    public String key() {
        return key;
    }

    /** Bytes added so far. */
    public long size() {
        return size;
    }

    public Uni<Void> start() {
        return store.createMultipart(key, contentType)
                .invoke(id -> uploadId = id)
                .replaceWithVoid();
    }

    /** Buffers the bytes; true when a whole part is pending, to be sent with {@link #sendPart} before adding more. */
    public boolean add(Buffer chunk) {
        size += chunk.length();
        pending.appendBuffer(chunk);
        return pending.length() >= PART_SIZE;
    }

    /** Sends what is pending as the next part. */
    public Uni<Void> sendPart() {
        Buffer part = pending;
        pending = Buffer.buffer();
        int number = parts.size() + 1;
        byte[] bytes = part.getBytes();
        return store.uploadPart(key, uploadId, number, bytes)
                .invoke(etag -> parts.add(new UploadedPart(number, etag, bytes.length)))
                .replaceWithVoid();
    }

    /** Sends the last part (an empty one for an empty object: S3 wants at least one) and completes the object. */
    public Uni<Void> complete() {
        Uni<Void> last = pending.length() > 0 || parts.isEmpty()
                ? sendPart()
                : Uni.createFrom().voidItem();
        return last.flatMap(x -> store.completeMultipart(key, uploadId, parts));
    }

    /** Drops the unfinished upload, best effort (abandoned uploads are also swept by retention). */
    public void abort() {
        if (uploadId == null) return;
        store.abortMultipart(key, uploadId)
                .subscribe()
                .with(x -> {}, err -> LOG.debugf("abort failed: %s", err.getMessage()));
    }
}
