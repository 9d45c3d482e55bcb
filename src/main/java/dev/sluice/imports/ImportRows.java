package dev.sluice.imports;

import dev.sluice.progress.ProgressSnapshot;
import io.vertx.mutiny.sqlclient.Row;

/** Row → progress snapshot, for the one query that reads a whole job row for it (ImportSql.snapshot). */
final class ImportRows {
    private ImportRows() {}

    /**
     * A running job's rate and ETA are its averages since it started ({@code seconds_running}), which
     * for a first run is what the runner publishes too: a stream that falls back on the database keeps
     * a rate and an ETA instead of dropping them to zero. A resumed job's average also spans the time it
     * waited, so it reads lower than its runner's. Unknown (0 and none) until it has processed a row.
     */
    static ProgressSnapshot snapshot(Row r) {
        String status = r.getString("status");
        long rows = r.getLong("processed_rows"), bytesRead = r.getLong("bytes_read");
        Long bytesTotal = r.getLong("bytes_total");
        Double seconds = r.getDouble("seconds_running");
        double rate = 0;
        Long eta = null;
        if (ImportStatus.RUNNING.is(status) && seconds != null && seconds > 0 && rows > 0) {
            rate = ProgressReporter.rate(rows, seconds);
            if (bytesTotal != null) eta = ProgressReporter.eta(bytesRead, bytesTotal - bytesRead, seconds);
        }
        ProgressSnapshot s = new ProgressSnapshot(
                0,
                r.getUUID("id"),
                status,
                r.getString("phase"),
                r.getLong("scanned_bytes"),
                bytesRead,
                bytesTotal,
                rows,
                r.getLong("created"),
                r.getLong("updated"),
                r.getLong("unchanged"),
                r.getLong("rejected"),
                r.getLong("duplicates"),
                rate,
                eta,
                r.getString("error_message"));
        if (!JobKind.UNDO.is(r.getString("kind"))) return s;
        Long total = r.getLong("total_rows");
        Long undoEta = null;
        if (ImportStatus.RUNNING.is(status) && seconds != null && seconds > 0 && rows > 0 && total != null)
            undoEta = ProgressReporter.eta(rows, Math.max(0, total - rows), seconds);
        return s.withPace(rate, undoEta)
                .asUndo(
                        total == null ? rows : total,
                        r.getLong("deleted"),
                        r.getLong("restored"),
                        r.getLong("conflicts"));
    }
}
