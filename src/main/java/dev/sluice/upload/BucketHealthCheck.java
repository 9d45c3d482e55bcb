package dev.sluice.upload;

import dev.sluice.common.SdkCalls;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Ready only while the upload bucket answers. */
@Readiness
@ApplicationScoped
public class BucketHealthCheck implements AsyncHealthCheck {
    private final S3AsyncClient s3;
    private final StorageConfig config;

    public BucketHealthCheck(S3AsyncClient s3, StorageConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return SdkCalls.call(() -> s3.headBucket(b -> b.bucket(config.bucket())))
                .ifNoItem().after(Duration.ofSeconds(3)).fail()
                .map(r -> HealthCheckResponse.named("s3-bucket").up().withData("bucket", config.bucket()).build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("s3-bucket").down()
                        .withData("bucket", config.bucket())
                        .withData("error", String.valueOf(e.getMessage())).build());
    }
}
