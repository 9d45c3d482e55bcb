package dev.sluice.imports;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** An import: what to read, how, how far it got, and who runs it now. */
@Entity
@Table(name = "import_jobs")
public class ImportJob extends PanacheEntityBase {
    @Id
    public UUID id;

    public String filename;

    @Column(name = "object_key")
    public String objectKey;
    /** {@link ImportStatus}, as stored. */
    public String status;
    /** {@link ImportPhase}, as stored. */
    public String phase;

    @Column(name = "scanned_bytes")
    public long scannedBytes;
    /** JSON of {@link ImportOptions}. */
    public String options;

    public String encoding;
    public String delimiter;
    /** JSON array of the header. */
    public String header;

    @Column(name = "total_rows")
    public Long totalRows;

    @Column(name = "processed_rows")
    public long processedRows;

    public long created;
    public long updated;
    public long unchanged;
    public long rejected;
    public long duplicates;

    @Column(name = "bytes_total")
    public Long bytesTotal;

    @Column(name = "bytes_read")
    public long bytesRead;

    @Column(name = "checkpoint_offset")
    public long checkpointOffset;

    @Column(name = "checkpoint_line")
    public long checkpointLine;

    @Column(name = "error_message")
    public String errorMessage;

    public String notes;

    @Column(name = "created_by")
    public UUID createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "cancel_requested")
    public boolean cancelRequested;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    public int attempts;

    /** JSON array of {@link UnmappedColumn}, found when the job was created. */
    @Column(name = "unmapped_columns", columnDefinition = "jsonb")
    @ColumnTransformer(read = "cast(unmapped_columns as text)", write = "cast(cast(? as text) as jsonb)")
    public String unmappedColumns;

    public boolean terminal() {
        return ImportStatus.terminal(status);
    }
}
