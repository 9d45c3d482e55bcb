package dev.sluice.common;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs every {@link RetentionTask} on {@code app.maintenance.schedule}: one after the other, each
 * under its own claim in {@code maintenance_runs} (so once per interval across replicas), a
 * failing one not stopping the rest. The scheduler's SKIP prevents overlapping runs here.
 */
@ApplicationScoped
public class RetentionJobs {
    private static final Logger LOG = Logger.getLogger(RetentionJobs.class);
    private final List<RetentionTask> tasks;
    private final MaintenanceRuns runs;
    private final RetentionConfig config;
    private final DependencyStatus dependencies;

    public RetentionJobs(
            Instance<RetentionTask> tasks,
            MaintenanceRuns runs,
            RetentionConfig config,
            DependencyStatus dependencies) {
        this.tasks = tasks.stream().toList();
        this.runs = runs;
        this.config = config;
        this.dependencies = dependencies;
    }

    @Scheduled(
            every = "${app.maintenance.schedule}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return Multi.createFrom()
                .iterable(tasks)
                .onItem()
                .transformToUniAndConcatenate(
                        t -> run(t.name(), config.minGap()).onFailure().recoverWithNull())
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * Runs one task now if no replica ran it within {@code minGap}, and if what it needs answers
     * here: otherwise it is not claimed, and a replica that can do it takes this interval's run.
     */
    public Uni<MaintenanceRuns.Result> run(String name, Duration minGap) {
        RetentionTask task = tasks.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No retention task " + name));
        if (!dependencies.up(task.needs())) {
            LOG.infof(
                    "Maintenance %s: not claimed here, %s unreachable",
                    task.name(), dependencies.whyDown(task.needs()));
            return Uni.createFrom().item(new MaintenanceRuns.Result(task.name(), false, 0));
        }
        return runs.runOnce(task.name(), minGap, task::purge);
    }
}
