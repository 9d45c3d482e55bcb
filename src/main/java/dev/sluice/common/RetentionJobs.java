package dev.sluice.common;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.List;

/**
 * Runs every {@link RetentionTask} on {@code app.maintenance.schedule}: one after the other, each
 * under its own claim in {@code maintenance_runs} (so once per interval across replicas), a
 * failing one not stopping the rest. The scheduler's SKIP prevents overlapping runs here.
 */
@ApplicationScoped
public class RetentionJobs {
    private final List<RetentionTask> tasks;
    private final MaintenanceRuns runs;
    private final RetentionConfig config;

    public RetentionJobs(Instance<RetentionTask> tasks, MaintenanceRuns runs, RetentionConfig config) {
        this.tasks = tasks.stream().toList();
        this.runs = runs;
        this.config = config;
    }

    @Scheduled(every = "${app.maintenance.schedule}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return Multi.createFrom().iterable(tasks)
                .onItem().transformToUniAndConcatenate(t -> run(t.name(), config.minGap()).onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    /** Runs one task now if no replica ran it within {@code minGap}. */
    public Uni<MaintenanceRuns.Result> run(String name, Duration minGap) {
        RetentionTask task = tasks.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No retention task " + name));
        return runs.runOnce(task.name(), minGap, task::purge);
    }
}
