package dev.sluice.imports;

import dev.sluice.common.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapper and batcher stages: a chunk's records → {@link RowMapper} → a {@link Batch} of the valid
 * rows (as the writer's columns) and the rejected ones, with where the file stands after the chunk.
 * The column plan is resolved once, from the header the reader found.
 */
final class BatchAssembler {
    private final CsvRecordReader reader;
    private final ImportOptions options;
    private ColumnPlan plan;
    private RowMapper mapper;

    BatchAssembler(CsvRecordReader reader, ImportOptions options) {
        this.reader = reader;
        this.options = options;
    }

    Batch assemble(RecordFramer.Chunk chunk) {
        CsvRecordReader.Records records = reader.read(chunk);
        if (plan == null) resolvePlan();
        long[] lines = records.lines();
        List<MappedRow.Valid> valid = new ArrayList<>(lines.length);
        List<RejectedRow> rejects = new ArrayList<>(0);
        Map<Long, List<String>> raw = Map.of();
        for (int i = 0; i < lines.length; i++) {
            switch (mapper.map(records.cells(i), lines[i])) {
                case MappedRow.Valid v -> {
                    valid.add(v);
                    if (v.raw() != null) {
                        if (raw.isEmpty()) raw = new HashMap<>();
                        raw.put(v.line(), v.raw());
                    }
                }
                case MappedRow.Rejected r -> rejects.add(r.row());
            }
        }
        return new Batch(ProductColumns.of(valid, plan.present()), rejects, raw, chunk.endOffset(), chunk.endLine(),
                chunk.last());
    }

    private void resolvePlan() {
        try {
            plan = ColumnPlan.resolve(reader.header(), options.mapping());
        } catch (ApiException e) {
            throw new ImportFailure(e.getMessage());
        }
        mapper = new RowMapper(plan);
    }
}
