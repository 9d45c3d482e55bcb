package dev.sluice.upload;

import dev.sluice.common.Workers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * URLs a client uses to send bytes straight to the upload bucket, valid for {@code app.uploads.url-ttl}.
 * Signing is blocking (and CPU work), so it runs on the worker pool.
 */
@ApplicationScoped
public class PresignedUrls {
    private final S3Presigner presigner;
    private final StorageConfig storage;
    private final UploadConfig config;
    private final Workers workers;

    public PresignedUrls(S3Presigner presigner, StorageConfig storage, UploadConfig config, Workers workers) {
        this.presigner = presigner;
        this.storage = storage;
        this.config = config;
        this.workers = workers;
    }

    /** One PUT of the whole object, which must send this Content-Type. */
    Uni<String> put(String key, String contentType) {
        return workers.call(() -> presigner
                .presignPutObject(p -> p.signatureDuration(config.urlTtl())
                        .putObjectRequest(
                                o -> o.bucket(storage.bucket()).key(key).contentType(contentType)))
                .url()
                .toString());
    }

    /** A PUT for each of parts 1 to {@code count} of a multipart upload, in part-number order. */
    Uni<List<String>> parts(String key, String uploadId, int count) {
        return workers.call(() -> {
            List<String> urls = new ArrayList<>(count);
            for (int n = 1; n <= count; n++) {
                int partNumber = n;
                urls.add(presigner
                        .presignUploadPart(p -> p.signatureDuration(config.urlTtl())
                                .uploadPartRequest(o -> o.bucket(storage.bucket())
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(partNumber)))
                        .url()
                        .toString());
            }
            return urls;
        });
    }
}
