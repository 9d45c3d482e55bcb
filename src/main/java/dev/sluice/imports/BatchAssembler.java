package dev.sluice.imports;

import dev.sluice.attribute.Attributes;
import dev.sluice.common.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * The mapper and batcher stages: a chunk's records → {@link RowMapper} → a {@link Batch} of the valid
 * rows (as the stage's columns) and the rejected ones, numbered in file order, with where the file
 * stands after the chunk.
 * The column plan is resolved once, from the header the reader found.
 */
final class BatchAssembler {
    private final RecordReader reader;
    private final ImportOptions options;
    private final Attributes attributes;
    private ColumnPlan plan;
    private RowMapper mapper;
    private int next;

    /** {@code firstBatch}: the number of the first batch this run assembles (0, or where a resumed scan stands). */
    BatchAssembler(RecordReader reader, ImportOptions options, Attributes attributes, int firstBatch) {
        this.reader = reader;
        this.options = options;
        this.attributes = attributes;
        this.next = firstBatch;
    }

    /** A CSV chunk: parsed by the CSV reader, then as any other. */
    Batch assemble(RecordFramer.Chunk chunk) {
        return assemble(((CsvRecordReader) reader).parse(chunk));
    }

    Batch assemble(RecordReader.Parsed chunk) {
        CsvRecordReader.Records records = chunk.records();
        if (plan == null) resolvePlan();
        long[] lines = records.lines();
        List<MappedRow.Valid> valid = new ArrayList<>(lines.length);
        List<RejectedRow> rejects = new ArrayList<>(0);
        for (int i = 0; i < lines.length; i++) {
            RejectedRow refused = chunk.rejected(i);
            if (refused != null) {
                rejects.add(refused);
                continue;
            }
            switch (mapper.map(records.cells(i), lines[i])) {
                case MappedRow.Valid v -> valid.add(v);
                case MappedRow.Rejected r -> rejects.add(reader.locate(r.row()));
            }
        }
        return new Batch(
                next++,
                reader.state(),
                ProductColumns.of(valid, plan.present()),
                rejects,
                chunk.endOffset(),
                chunk.endLine(),
                chunk.last());
    }

    private void resolvePlan() {
        try {
            plan = ColumnPlan.resolve(reader.header(), options.mapping(), attributes);
        } catch (ApiException e) {
            throw new ImportFailure(e.getMessage());
        }
        // With required attributes a row may be refused by the writer (a new product without them): keep its cells.
        mapper = new RowMapper(plan, attributes.all().stream().anyMatch(a -> a.required()));
    }
}
