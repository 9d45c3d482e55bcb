package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.UUID;

/**
 * The scan pass's work: stage each valid row's key and line, so that the write pass can tell, before
 * it writes a row, whether a later row of the file supersedes it. Nothing is written to the catalog
 * and nothing is counted; the checkpoint records how far the scan got.
 */
final class KeyScan implements BatchWork {
    private final ImportSql sql;
    private final UUID jobId;
    private final String owner;
    private final CsvRecordReader reader;

    KeyScan(ImportSql sql, UUID jobId, String owner, CsvRecordReader reader) {
        this.sql = sql;
        this.jobId = jobId;
        this.owner = owner;
        this.reader = reader;
    }

    @Override
    public Uni<Result> write(SqlClient client, Batch batch) {
        return sql.stageKeys(client, jobId, batch.rows().sku(), batch.rows().lines())
                .replaceWith(new Result(BatchCounts.ZERO, java.util.List.of()));
    }

    @Override
    public Uni<Boolean> checkpoint(SqlClient client, Batch batch, Result result, boolean moveResumePoint) {
        return sql.scanProgress(client, jobId, owner, batch.rows().size(), batch.endOffset(), batch.endLine(), reader.state());
    }
}
