package dev.sluice.upload;

import dev.sluice.common.SdkCalls;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import org.reactivestreams.FlowAdapters;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The upload bucket, read reactively. */
@ApplicationScoped
public class ObjectStore {
    private final S3AsyncClient s3;
    private final StorageConfig config;

    public ObjectStore(S3AsyncClient s3, StorageConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    public String bucket() {
        return config.bucket();
    }

    /**
     * The object's bytes from {@code offset} on (an S3 ranged GET when resuming), as a stream the
     * SDK reads from the network only as fast as it is requested: backpressure reaches the socket.
     */
    public Multi<ByteBuffer> read(String key, long offset) {
        GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(config.bucket()).key(key);
        if (offset > 0) req.range("bytes=" + offset + "-");
        return SdkCalls.call(() -> s3.getObject(req.build(), AsyncResponseTransformer.toPublisher()))
                .onItem().transformToMulti(publisher -> Multi.createFrom().publisher(FlowAdapters.toFlowPublisher(publisher)))
                // A connection lost mid-body surfaces as a bare IOException; wrapped, it still says it was S3's
                // (the runner tells the operator which dependency interrupted an import).
                .onFailure(e -> !S3Faults.fromS3(e)).transform(e -> SdkClientException.builder()
                        .message("Reading " + key + " from the bucket failed: " + e.getMessage()).cause(e).build());
    }

    /** The first {@code n} bytes (fewer if the object is shorter; none if it is empty). */
    public Uni<byte[]> head(String key, long n) {
        GetObjectRequest req = GetObjectRequest.builder().bucket(config.bucket()).key(key).range("bytes=0-" + (n - 1)).build();
        return SdkCalls.call(() -> s3.getObject(req, AsyncResponseTransformer.toBytes()))
                .map(r -> r.asByteArray())
                .onFailure(e -> status(e) == 416).recoverWithItem(new byte[0]);
    }

    /** Size, or null when the object doesn't exist. */
    public Uni<Long> size(String key) {
        return SdkCalls.call(() -> s3.headObject(b -> b.bucket(config.bucket()).key(key)))
                .map(HeadObjectResponse::contentLength)
                .onFailure(ObjectStore::notFound).recoverWithNull();
    }

    public Uni<Void> delete(String key) {
        return SdkCalls.call(() -> s3.deleteObject(b -> b.bucket(config.bucket()).key(key))).replaceWithVoid();
    }

    private static int status(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof S3Exception s ? s.statusCode() : 0;
    }

    public static boolean notFound(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof NoSuchKeyException || t instanceof S3Exception s && s.statusCode() == 404;
    }
}
