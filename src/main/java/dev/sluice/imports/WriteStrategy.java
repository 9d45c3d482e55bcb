package dev.sluice.imports;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** How a pass's batches reach the database: committed one by one with a checkpoint, or all in one transaction. */
interface WriteStrategy {
    /** Runs the pass to its end; the outcome is how it ended when nothing failed. */
    <B extends BatchRef> Uni<ImportPipeline.Outcome> run(
            Multi<B> batches, BatchWork<B> work, ProgressReporter progress, RunControl control);
}
