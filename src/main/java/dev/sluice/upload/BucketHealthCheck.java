package dev.sluice.upload;

import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyStatus;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the upload bucket answers: the same cached check the import and clean-up
 * claimers consult, so an instance is never "not ready" yet taking imports, or the reverse.
 */
@Readiness
@ApplicationScoped
public class BucketHealthCheck implements AsyncHealthCheck {
    private final DependencyStatus status;
    private final StorageConfig config;

    public BucketHealthCheck(DependencyStatus status, StorageConfig config) {
        this.status = status;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return status.readiness(Dependency.S3, "s3-bucket")
                .map(b -> b.withData("bucket", config.bucket()).build());
    }
}
