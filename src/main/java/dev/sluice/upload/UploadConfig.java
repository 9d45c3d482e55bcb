package dev.sluice.upload;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "app.uploads")
public interface UploadConfig {
    /**
     * Largest accepted file, for uploads and for imports alike (imports read files from here).
     * Still set by APP_IMPORT_MAX_FILE_SIZE.
     */
    @WithDefault("500M")
    MemorySize maxFileSize();

    /** Files above this size get presigned multipart parts instead of one presigned PUT. */
    @WithDefault("64M")
    MemorySize multipartThreshold();

    /** Size of each presigned part (S3 allows 5 MB to 5 GB, at most 10,000 parts). */
    @WithDefault("16M")
    MemorySize partSize();

    /** How long presigned URLs work. */
    @WithDefault("1H")
    Duration urlTtl();

    /** Multipart uploads not completed within this time are aborted by the scheduler. */
    @WithDefault("24H")
    Duration abandonAfter();
}
