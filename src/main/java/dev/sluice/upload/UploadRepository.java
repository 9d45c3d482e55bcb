package dev.sluice.upload;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class UploadRepository implements PanacheRepositoryBase<Upload, UUID> {

    /** {objectKey, filename} of an upload, or null. */
    @WithSession
    public Uni<String[]> keyAndName(UUID id) {
        return findById(id).map(u -> u == null ? null : new String[] {u.objectKey, u.filename});
    }

    public Uni<List<Upload>> abandonedMultipart(Instant before) {
        return list("status = ?1 and multipartUploadId is not null and createdAt < ?2", Upload.PENDING, before);
    }
}
