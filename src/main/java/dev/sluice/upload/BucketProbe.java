package dev.sluice.upload;

import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyProbe;
import dev.sluice.common.SdkCalls;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The upload bucket answers a HEAD (the endpoint resolves, the credentials work, the bucket exists). */
@ApplicationScoped
public class BucketProbe implements DependencyProbe {
    private final S3AsyncClient s3;
    private final StorageConfig config;

    public BucketProbe(S3AsyncClient s3, StorageConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    @Override
    public Dependency dependency() {
        return Dependency.S3;
    }

    @Override
    public Uni<Void> probe() {
        return SdkCalls.call(() -> s3.headBucket(b -> b.bucket(config.bucket())))
                .replaceWithVoid();
    }
}
