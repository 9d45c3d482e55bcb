package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the planner's idea of the products table's size current while a job fills it. A table that
 * grows from nearly empty to a million rows in one run outgrows its statistics long before
 * autovacuum looks (a minute, and 10 % of the table), and with "nearly empty" every index looks as
 * cheap as the primary key for an id lookup. So whenever a run has added more rows than the table
 * was believed to hold (and at least {@link #MIN_GROWTH}), it is analysed, in the background: about
 * log2(growth) times for a run, each a sample of the table.
 */
final class PlannerStats {
    private static final Logger LOG = Logger.getLogger(PlannerStats.class);
    static final long MIN_GROWTH = 20_000;
    private final Supplier<Uni<Void>> analyze;
    private final AtomicBoolean running = new AtomicBoolean();
    private long believed;
    private long grown;

    PlannerStats(long believed, Supplier<Uni<Void>> analyze) {
        this.believed = believed;
        this.analyze = analyze;
    }

    /** A batch has committed having added {@code rows} products. Called serially. */
    void added(long rows) {
        grown += rows;
        if (grown < Math.max(MIN_GROWTH, believed) || !running.compareAndSet(false, true)) return;
        believed += grown;
        grown = 0;
        analyze.get()
                .eventually(() -> running.set(false))
                .subscribe()
                .with(x -> {}, e -> LOG.debugf("analyze products during a run: %s", e.getMessage()));
    }
}
