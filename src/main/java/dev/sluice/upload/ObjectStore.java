package dev.sluice.upload;

import dev.sluice.common.SdkCalls;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.reactivestreams.FlowAdapters;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The upload bucket, read and written reactively: every S3 object call of the import and upload paths. */
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
        GetObjectRequest.Builder req =
                GetObjectRequest.builder().bucket(config.bucket()).key(key);
        if (offset > 0) req.range("bytes=" + offset + "-");
        return SdkCalls.call(() -> s3.getObject(req.build(), AsyncResponseTransformer.toPublisher()))
                .onItem()
                .transformToMulti(publisher -> Multi.createFrom().publisher(FlowAdapters.toFlowPublisher(publisher)))
                // A connection lost mid-body surfaces as a bare IOException; wrapped, it still says it was S3's
                // (the runner tells the operator which dependency interrupted an import).
                .onFailure(e -> !S3Faults.fromS3(e))
                .transform(e -> SdkClientException.builder()
                        .message("Reading " + key + " from the bucket failed: " + e.getMessage())
                        .cause(e)
                        .build());
    }

    /**
     * {@code length} bytes from {@code offset} (a bounded ranged GET), streamed with backpressure
     * like {@link #read(String, long)}: a ZIP entry in the middle of a workbook.
     */
    public Multi<ByteBuffer> read(String key, long offset, long length) {
        if (length <= 0) return Multi.createFrom().empty();
        GetObjectRequest req = GetObjectRequest.builder()
                .bucket(config.bucket())
                .key(key)
                .range("bytes=" + offset + "-" + (offset + length - 1))
                .build();
        return SdkCalls.call(() -> s3.getObject(req, AsyncResponseTransformer.toPublisher()))
                .onItem()
                .transformToMulti(publisher -> Multi.createFrom().publisher(FlowAdapters.toFlowPublisher(publisher)))
                .onFailure(e -> !S3Faults.fromS3(e))
                .transform(e -> SdkClientException.builder()
                        .message("Reading " + key + " from the bucket failed: " + e.getMessage())
                        .cause(e)
                        .build());
    }

    /** {@code length} bytes from {@code offset} (fewer at the end of the object; none past it). */
    public Uni<byte[]> range(String key, long offset, int length) {
        GetObjectRequest req = GetObjectRequest.builder()
                .bucket(config.bucket())
                .key(key)
                .range("bytes=" + offset + "-" + (offset + length - 1))
                .build();
        return SdkCalls.call(() -> s3.getObject(req, AsyncResponseTransformer.toBytes()))
                .map(r -> r.asByteArray())
                .onFailure(e -> status(e) == 416)
                .recoverWithItem(new byte[0]);
    }

    /** The first {@code n} bytes (fewer if the object is shorter; none if it is empty). */
    public Uni<byte[]> head(String key, long n) {
        GetObjectRequest req = GetObjectRequest.builder()
                .bucket(config.bucket())
                .key(key)
                .range("bytes=0-" + (n - 1))
                .build();
        return SdkCalls.call(() -> s3.getObject(req, AsyncResponseTransformer.toBytes()))
                .map(r -> r.asByteArray())
                .onFailure(e -> status(e) == 416)
                .recoverWithItem(new byte[0]);
    }

    /** Size, or null when the object doesn't exist. */
    public Uni<Long> size(String key) {
        return SdkCalls.call(() -> s3.headObject(b -> b.bucket(config.bucket()).key(key)))
                .map(HeadObjectResponse::contentLength)
                .onFailure(ObjectStore::notFound)
                .recoverWithNull();
    }

    public Uni<Void> delete(String key) {
        return SdkCalls.call(
                        () -> s3.deleteObject(b -> b.bucket(config.bucket()).key(key)))
                .replaceWithVoid();
    }

    /** Removes an object nobody will read (best effort: a leftover is swept by retention). */
    public void deleteQuietly(String key) {
        delete(key).subscribe().with(x -> {}, e -> {});
    }

    /** A new object written part by part as its bytes arrive (S3 multipart upload). */
    public MultipartUpload multipart(String key, String contentType) {
        return new MultipartUpload(this, key, contentType);
    }

    /** Starts a multipart upload; returns its upload id. */
    Uni<String> createMultipart(String key, String contentType) {
        return SdkCalls.call(() -> s3.createMultipartUpload(
                        b -> b.bucket(config.bucket()).key(key).contentType(contentType)))
                .map(r -> r.uploadId());
    }

    /** Sends one part; returns its ETag, which completing the upload names. */
    Uni<String> uploadPart(String key, String uploadId, int number, byte[] bytes) {
        return SdkCalls.call(() -> s3.uploadPart(
                        b -> b.bucket(config.bucket())
                                .key(key)
                                .uploadId(uploadId)
                                .partNumber(number),
                        AsyncRequestBody.fromBytes(bytes)))
                .map(r -> r.eTag());
    }

    /** Joins the parts (by number and ETag) into the object. */
    Uni<Void> completeMultipart(String key, String uploadId, List<UploadedPart> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder()
                        .partNumber(p.number())
                        .eTag(p.etag())
                        .build())
                .toList();
        return SdkCalls.call(() -> s3.completeMultipartUpload(b ->
                        b.bucket(config.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed))))
                .replaceWithVoid();
    }

    /** Every part uploaded so far, in part-number order (S3 lists them a page at a time). */
    Uni<List<UploadedPart>> listParts(String key, String uploadId) {
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> new Integer[] {null},
                        marker -> SdkCalls.call(() -> s3.listParts(b -> b.bucket(config.bucket())
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumberMarker(marker[0])))
                                .invoke(r -> marker[0] = r.nextPartNumberMarker()))
                .whilst(r -> Boolean.TRUE.equals(r.isTruncated()))
                .onItem()
                .transformToIterable(ListPartsResponse::parts)
                .map(p -> new UploadedPart(p.partNumber(), p.eTag(), p.size()))
                .collect()
                .asList();
    }

    /** Drops an unfinished upload and its parts (so S3 doesn't keep, and bill, them). */
    Uni<Void> abortMultipart(String key, String uploadId) {
        return SdkCalls.call(() -> s3.abortMultipartUpload(
                        b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)))
                .replaceWithVoid();
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
