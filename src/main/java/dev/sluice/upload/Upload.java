package dev.sluice.upload;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A file a client is sending straight to S3 with presigned URLs. */
@Entity
@Table(name = "uploads")
public class Upload extends PanacheEntityBase {
    public static final String PENDING = "pending", COMPLETED = "completed", ABORTED = "aborted";

    @Id
    public UUID id;

    @Column(name = "object_key")
    public String objectKey;

    public String filename;
    public long size;

    @Column(name = "content_type")
    public String contentType;
    /** S3's UploadId when the file comes in presigned parts; null for a single PUT. */
    @Column(name = "multipart_upload_id")
    public String multipartUploadId;

    @Column(name = "part_size")
    public Long partSize;

    public String status;

    @Column(name = "created_by")
    public UUID createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "completed_at")
    public Instant completedAt;
}
