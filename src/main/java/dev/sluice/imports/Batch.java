package dev.sluice.imports;

import java.util.List;

/**
 * One parsed chunk for the scan to stage: its number in the file (from 0), its valid rows as column
 * arrays, its rejected rows, and where the file stands after it (the checkpoint written with it, with
 * the parser's state at that point: the parser may already be batches ahead when it is written).
 */
public record Batch(
        int number,
        ImportSql.ParseState state,
        ProductColumns rows,
        List<RejectedRow> rejects,
        long endOffset,
        long endLine,
        boolean last)
        implements BatchRef {
    @Override
    public int size() {
        return rows.size() + rejects.size();
    }

    @Override
    public int rejectedCount() {
        return rejects.size();
    }
}
