package dev.sluice.upload;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Creates the upload bucket on start-up when asked to (dev, test, local runs). */
@ApplicationScoped
public class BucketInitializer {
    private static final Logger LOG = Logger.getLogger(BucketInitializer.class);

    void onStart(@Observes StartupEvent ev, S3AsyncClient s3, StorageConfig config) {
        if (!config.createBucket()) return;
        String bucket = config.bucket();
        s3.headBucket(b -> b.bucket(bucket))
                .handle((ok, err) -> {
                    Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                    if (cause instanceof NoSuchBucketException
                            || cause instanceof S3Exception s && s.statusCode() == 404) {
                        return s3.createBucket(b -> b.bucket(bucket))
                                .thenRun(() -> LOG.infof("Created bucket %s", bucket));
                    }
                    if (cause != null) LOG.warnf("Bucket %s is not reachable yet: %s", bucket, cause.getMessage());
                    return CompletableFuture.completedFuture(null);
                })
                .thenCompose(f -> f)
                .exceptionally(e -> {
                    LOG.warnf("Could not create bucket %s: %s", bucket, e.getMessage());
                    return null;
                });
    }
}
