package dev.sluice.imports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The write pass's work: the batch's set-based upsert ({@link ProductBatchWriter}), then its rejects
 * (the mapper's, and rows the database refused: unknown SKUs in a file without a name column) and
 * its counts with the checkpoint.
 */
final class ProductWrites implements BatchWork {
    static final String NO_NAME_REASON = "is required to create a product: no product has this SKU yet, "
            + "and the file has no name column";
    private final ProductBatchWriter writer;
    private final ImportSql sql;
    private final UUID jobId;
    private final String owner;
    private final CsvRecordReader reader;
    private final boolean lookAhead;

    ProductWrites(ProductBatchWriter writer, ImportSql sql, UUID jobId, String owner, CsvRecordReader reader,
                  boolean lookAhead) {
        this.writer = writer;
        this.sql = sql;
        this.jobId = jobId;
        this.owner = owner;
        this.reader = reader;
        this.lookAhead = lookAhead;
    }

    @Override
    public Uni<Result> write(SqlClient client, Batch batch) {
        return writer.write(client, jobId, batch.rows(), lookAhead)
                .map(written -> new Result(written.counts().plus(new BatchCounts(0, 0, 0, 0, batch.rejects().size())),
                        refused(batch, written.refusedLines())));
    }

    @Override
    public Uni<Boolean> checkpoint(SqlClient client, Batch batch, Result result, boolean moveResumePoint) {
        List<RejectedRow> rejects = batch.rejects();
        if (!result.refused().isEmpty()) {
            rejects = new ArrayList<>(rejects);
            rejects.addAll(result.refused());
        }
        return sql.insertRejects(client, jobId, rejects)
                .chain(() -> sql.progress(client, jobId, owner, result.counts(), batch.size(), batch.endOffset(),
                        batch.endLine(), moveResumePoint, reader.state()));
    }

    private List<RejectedRow> refused(Batch batch, List<Long> lines) {
        if (lines.isEmpty()) return List.of();
        List<RejectedRow> out = new ArrayList<>(lines.size());
        for (Long line : lines) {
            List<String> raw = batch.rawByLine().getOrDefault(line, List.of());
            out.add(new RejectedRow(line, raw, List.of(new RejectedRow.Problem("name", null, NO_NAME_REASON))));
        }
        return out;
    }
}
