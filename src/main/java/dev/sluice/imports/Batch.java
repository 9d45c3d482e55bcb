package dev.sluice.imports;

import java.util.List;

/**
 * One parsed chunk for the scan to stage: its number in the file (from 0), its valid rows as column
 * arrays, its rejected rows, and where the file stands after it (the checkpoint written with it).
 */
public record Batch(
        int number, ProductColumns rows, List<RejectedRow> rejects, long endOffset, long endLine, boolean last)
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
