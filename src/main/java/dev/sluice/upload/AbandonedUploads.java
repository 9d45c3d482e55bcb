package dev.sluice.upload;

import dev.sluice.common.Dependency;
import dev.sluice.common.RetentionTask;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;

/** Aborts multipart uploads started long ago and never completed (S3 keeps their parts otherwise). */
@ApplicationScoped
public class AbandonedUploads implements RetentionTask {
    private final UploadService uploads;
    private final UploadConfig config;

    public AbandonedUploads(UploadService uploads, UploadConfig config) {
        this.uploads = uploads;
        this.config = config;
    }

    /** Deletes S3 objects (or aborts S3 uploads) as well as rows. */
    @Override
    public Set<Dependency> needs() {
        return Set.of(Dependency.POSTGRESQL, Dependency.S3);
    }

    @Override
    public String name() {
        return "abandoned-uploads";
    }

    @Override
    public Uni<Long> purge() {
        return uploads.abortAbandoned(Instant.now().minus(config.abandonAfter()));
    }
}
