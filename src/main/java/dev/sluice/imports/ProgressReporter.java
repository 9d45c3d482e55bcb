package dev.sluice.imports;

import dev.sluice.progress.ProgressPublisher;
import dev.sluice.progress.ProgressSnapshot;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The last stage of a run: keeps its running totals, feeds the meters, and publishes a snapshot at
 * most every {@code interval} (and always after the last batch). Publishing is off the write path:
 * a slow or absent Redis must never slow an import. One publish at a time; a snapshot due while one
 * is in flight is skipped (the next one supersedes it). Called serially, in file order.
 */
final class ProgressReporter {
    private final UUID id;
    private final ImportPhase phase;
    private final Long bytesTotal;
    private final long startOffset;
    private final long startNanos = System.nanoTime();
    private final long startRows;
    private final long scannedBytes;
    private final ImportMetrics metrics;
    private final ProgressPublisher publisher;
    private final long intervalNanos;
    private final AtomicBoolean publishing = new AtomicBoolean();
    private final JobKind kind;
    private final Long totalRows;
    private long rows, created, updated, unchanged, duplicates, rejected, offset;
    private long deleted, restored, conflicts;
    private PlannerStats plannerStats;
    private long lastPublished;

    ProgressReporter(ImportSql.Claimed job, ImportMetrics metrics, ProgressPublisher publisher, Duration interval) {
        this.id = job.id();
        this.phase = job.phase();
        this.bytesTotal = job.bytesTotal();
        this.startOffset = this.offset = job.checkpointOffset();
        // The claim reset these to zero if the run restarts at offset 0 (nothing was committed).
        this.rows = this.startRows = job.processedRows();
        this.scannedBytes = job.phase() == ImportPhase.WRITE && bytesTotal != null ? bytesTotal : 0;
        BatchCounts c = job.counts();
        this.created = c.created();
        this.updated = c.updated();
        this.unchanged = c.unchanged();
        this.duplicates = c.duplicates();
        this.rejected = c.rejected();
        this.deleted = c.deleted();
        this.restored = c.restored();
        this.conflicts = c.conflicts();
        this.kind = job.kind();
        this.totalRows = job.totalRows();
        this.metrics = metrics;
        this.publisher = publisher;
        this.intervalNanos = interval.toNanos();
    }

    /** Tells {@code stats} of the products each committed batch adds. */
    ProgressReporter withPlannerStats(PlannerStats stats) {
        this.plannerStats = stats;
        return this;
    }

    long rejected() {
        return rejected;
    }

    /** A batch has committed (or, in one-transaction mode, been written): count it and maybe publish. */
    void batchDone(BatchRef batch, BatchCounts counts) {
        rows += batch.size();
        offset = batch.endOffset();
        if (phase == ImportPhase.WRITE) {
            created += counts.created();
            updated += counts.updated();
            unchanged += counts.unchanged();
            duplicates += counts.duplicates();
            rejected += counts.rejected();
            deleted += counts.deleted();
            restored += counts.restored();
            conflicts += counts.conflicts();
            metrics.counted(counts);
            if (plannerStats != null) plannerStats.added(counts.created() + counts.restored());
        }
        long now = System.nanoTime();
        if (!batch.last() && now - lastPublished < intervalNanos) return;
        lastPublished = now;
        ProgressSnapshot snapshot = snapshot();
        metrics.rate(snapshot.rowsPerSecond());
        if (publishing.compareAndSet(false, true)) {
            publisher.publish(snapshot).subscribe().with(x -> publishing.set(false), e -> publishing.set(false));
        }
    }

    void ended() {
        metrics.rate(0);
    }

    ProgressSnapshot snapshot() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rowsPerSecond = rate(rows - startRows, seconds);
        // While scanning nothing is written yet: the rate is the scan's, and no ETA is claimed for the write.
        Long eta = null;
        if (phase == ImportPhase.WRITE && bytesTotal != null)
            eta = eta(offset - startOffset, bytesTotal - offset, seconds);
        boolean scanning = phase == ImportPhase.SCAN;
        if (kind == JobKind.UNDO) {
            // An undo reads no file: its ETA is from the changes left.
            long total = totalRows == null ? rows : totalRows;
            return new ProgressSnapshot(
                            0,
                            id,
                            ImportStatus.RUNNING.wire(),
                            phase.wire(),
                            0,
                            0,
                            null,
                            rows,
                            0,
                            0,
                            0,
                            0,
                            0,
                            rowsPerSecond,
                            eta(rows - startRows, Math.max(0, total - rows), seconds),
                            null)
                    .asUndo(total, deleted, restored, conflicts);
        }
        return new ProgressSnapshot(
                0,
                id,
                ImportStatus.RUNNING.wire(),
                phase.wire(),
                scanning ? offset : scannedBytes,
                scanning ? 0 : offset,
                bytesTotal,
                scanning ? 0 : rows,
                created,
                updated,
                unchanged,
                rejected,
                duplicates,
                rowsPerSecond,
                eta,
                null);
    }

    /** Rows per second, to one decimal. Shared with the database's snapshots, so both report the same pace. */
    static double rate(long rows, double seconds) {
        return Math.round(rows / seconds * 10) / 10.0;
    }

    /** Seconds left for {@code remaining} bytes at the pace of {@code done} bytes in {@code seconds}; null before any. */
    static Long eta(long done, long remaining, double seconds) {
        return done <= 0 ? null : Math.max(0, Math.round(remaining / (done / seconds)));
    }
}
