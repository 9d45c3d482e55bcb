package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.progress.ProgressSnapshot;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How one stream numbers and filters snapshots from the runner (Redis) and from the database. */
class ImportEventsEmitterTest {
    private static final UUID JOB = UUID.randomUUID();

    private static ProgressSnapshot runner(long seq, long rows) {
        return new ProgressSnapshot(
                seq, JOB, "running", "write", 100_000L, rows * 10, 100_000L, rows, rows, 0, 0, 0, 0, 500.0, 42L, null);
    }

    private static ProgressSnapshot database(String status, long rows, double rate) {
        return new ProgressSnapshot(
                0,
                JOB,
                status,
                "write",
                100_000L,
                rows * 10,
                100_000L,
                rows,
                rows,
                0,
                0,
                0,
                0,
                rate,
                rate > 0 ? 7L : null,
                null);
    }

    private static ImportEvents.Item only(List<ImportEvents.Item> items) {
        assertThat(items).hasSize(1);
        return items.getFirst();
    }

    @Test
    void aDatabaseSnapshotBetweenRunnerSnapshotsTakesTheNextIdAndTheRunnerCarriesOnAboveIt() {
        var e = new ImportEvents.Emitter(0);
        assertThat(only(e.published(runner(5, 100))).id()).isEqualTo(5);
        ImportEvents.Item fromDb = only(e.polled(database("running", 150, 0)));
        assertThat(fromDb.id()).isEqualTo(6);
        assertThat(fromDb.data().seq()).isEqualTo(6);
        assertThat(fromDb.data().rowsPerSecond())
                .as("the runner's rate carried on")
                .isEqualTo(500.0);
        assertThat(fromDb.data().etaSeconds()).isEqualTo(42L);
        ImportEvents.Item next = only(e.published(runner(6, 200)));
        assertThat(next.id()).as("past the runner's 6 already").isEqualTo(7);
        assertThat(next.data().seq()).isEqualTo(7);
        assertThat(only(e.published(runner(9, 300))).id()).isEqualTo(9);
    }

    @Test
    void nothingBehindOrEqualToWhatWasSentGoesOutButTheEndAlwaysDoes() {
        var e = new ImportEvents.Emitter(0);
        only(e.published(runner(3, 300)));
        assertThat(e.polled(database("running", 300, 90.0))).as("no news").isEmpty();
        assertThat(e.published(runner(4, 200))).as("behind").isEmpty();
        List<ImportEvents.Item> end = e.polled(database("completed", 300, 0));
        assertThat(end).hasSize(2);
        assertThat(end.getFirst().name()).isEqualTo("end");
        assertThat(end.getFirst().id()).isEqualTo(4);
    }

    @Test
    void aResumedStreamSkipsRunnerSnapshotsTheClientHadAndStartsAboveLastEventId() {
        var e = new ImportEvents.Emitter(8);
        assertThat(e.initial(runner(8, 800), database("running", 800, 10.0)))
                .as("the client has 8")
                .isEmpty();
        assertThat(e.published(runner(7, 700))).isEmpty();
        assertThat(only(e.published(runner(9, 900))).id()).isEqualTo(9);

        var withoutRedis = new ImportEvents.Emitter(8);
        assertThat(only(withoutRedis.initial(null, database("running", 800, 10.0)))
                        .id())
                .isEqualTo(9);
    }

    @Test
    void theFirstSnapshotIsTheDatabasesWhenRedisIsBehindAndItIsNumberedPastRedis() {
        var e = new ImportEvents.Emitter(0);
        ImportEvents.Item first = only(e.initial(runner(4, 400), database("running", 600, 0)));
        assertThat(first.id()).isEqualTo(5);
        assertThat(first.data().processedRows()).isEqualTo(600);
        assertThat(first.data().rowsPerSecond()).as("Redis's last rate").isEqualTo(500.0);
    }
}
