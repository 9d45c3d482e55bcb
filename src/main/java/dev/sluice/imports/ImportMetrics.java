package dev.sluice.imports;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** The import's meters, registered once per instance and fed by each run's {@link ProgressReporter}. */
@ApplicationScoped
public class ImportMetrics {
    private final Timer batchWrite;
    private final Counter created, updated, unchanged, duplicates, rejected;
    /** An undo's: products deleted, restored, and left alone as conflicts. */
    private final Counter deleted, restored, conflicts;
    /** The running import's current rate on this instance (0 when none runs here). */
    private volatile double rowsPerSecond;

    public ImportMetrics(MeterRegistry meters) {
        this.batchWrite = Timer.builder("sluice.import.batch.write")
                .description("One batch: upsert, rejects and checkpoint, committed")
                .publishPercentileHistogram()
                .register(meters);
        this.created = rows(meters, "created");
        this.updated = rows(meters, "updated");
        this.unchanged = rows(meters, "unchanged");
        this.duplicates = rows(meters, "duplicate");
        this.rejected = rows(meters, "rejected");
        this.deleted = rows(meters, "deleted");
        this.restored = rows(meters, "restored");
        this.conflicts = rows(meters, "conflict");
        Gauge.builder("sluice.import.rows.per.second", this, m -> m.rowsPerSecond)
                .description("Rows per second of the import running on this instance")
                .register(meters);
    }

    private static Counter rows(MeterRegistry meters, String result) {
        return Counter.builder("sluice.import.rows")
                .tag("result", result)
                .description("Rows imported, by result")
                .register(meters);
    }

    void batchWritten(long startedNanos) {
        batchWrite.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void counted(BatchCounts c) {
        created.increment(c.created());
        updated.increment(c.updated());
        unchanged.increment(c.unchanged());
        duplicates.increment(c.duplicates());
        rejected.increment(c.rejected());
        deleted.increment(c.deleted());
        restored.increment(c.restored());
        conflicts.increment(c.conflicts());
    }

    void rate(double rowsPerSecond) {
        this.rowsPerSecond = rowsPerSecond;
    }
}
