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

    /** The creator's email when the job was created: a job's history shows it after the user is gone. */
    @Column(name = "created_by_email")
    public String createdByEmail;

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

    /** {@link JobKind}, as stored. */
    public String kind = JobKind.IMPORT.wire();

    /** An undo: the job it takes back. */
    @Column(name = "undo_of")
    public UUID undoOf;

    /** The undo job taking this one back, once one was asked for. */
    @Column(name = "undone_by")
    public UUID undoneBy;

    /** An undo: restore products changed since too. */
    public boolean force;

    /** Whether the job recorded its changes (history was on when it was created): only then can it be undone. */
    @Column(name = "records_history")
    public boolean recordsHistory = true;

    /** Retention removed the job's changes: it can't be undone any more. */
    @Column(name = "history_purged_at")
    public Instant historyPurgedAt;

    public long deleted;
    public long restored;
    public long conflicts;

    public boolean terminal() {
        return ImportStatus.terminal(status);
    }
}
