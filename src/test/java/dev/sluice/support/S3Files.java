package dev.sluice.support;

import dev.sluice.upload.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Puts test files into the real S3-compatible store, in the test bucket. */
@ApplicationScoped
public class S3Files {
    private final S3AsyncClient s3;
    private final StorageConfig config;

    public S3Files(S3AsyncClient s3, StorageConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    public String put(byte[] content) {
        return put(content, "csv");
    }

    /** Under a key ending in {@code .extension} (the filename an import takes when given only the key). */
    public String put(byte[] content, String extension) {
        String key = "test/" + UUID.randomUUID() + "." + extension;
        s3.putObject(b -> b.bucket(config.bucket()).key(key), AsyncRequestBody.fromBytes(content))
                .join();
        return key;
    }
}
