package dev.sluice.upload;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where uploaded CSV files live. */
@ConfigMapping(prefix = "app.s3")
public interface StorageConfig {
    /** The bucket for uploads (env APP_S3_BUCKET / S3_BUCKET). */
    String bucket();

    /** Create the bucket at start-up when it is missing (handy for local stores; off in prod). */
    @WithDefault("false")
    boolean createBucket();
}
