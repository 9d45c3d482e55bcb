package dev.sluice.common;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * One clean-up a feature owns (its old rows or objects). {@link RetentionJobs} runs every task on
 * the schedule, each once across all replicas.
 */
public interface RetentionTask {
    /** The task's name in {@code maintenance_runs} and the logs. */
    String name();

    /** What the task needs to do its work; it is not run (here) while one of them is down. */
    default Set<Dependency> needs() {
        return Set.of(Dependency.POSTGRESQL);
    }

    /** Removes what is past its retention; returns how many things it removed. */
    Uni<Long> purge();
}
