package dev.sluice.imports;

import dev.sluice.progress.ProgressSnapshot;
import io.vertx.mutiny.sqlclient.Row;

/** Reading import_jobs rows fetched with the SQL client. */
final class ImportRows {
    private ImportRows() {}

    static ProgressSnapshot snapshot(Row r) {
        return new ProgressSnapshot(0, r.getUUID("id"), r.getString("status"), r.getString("phase"),
                r.getLong("scanned_bytes"), r.getLong("bytes_read"),
                r.getLong("bytes_total"), r.getLong("processed_rows"), r.getLong("created"), r.getLong("updated"),
                r.getLong("unchanged"), r.getLong("rejected"), r.getLong("duplicates"), 0, null, r.getString("error_message"));
    }
}
