package dev.sluice.imports;

import java.util.List;

/**
 * One unit of work for the writer: the valid and rejected rows of one chunk, and where the file
 * stands after it (the checkpoint written with it).
 */
public record Batch(List<ProductRow> rows, List<RejectedRow> rejects, long endOffset, long endLine, boolean last) {
    public int size() {
        return rows.size() + rejects.size();
    }
}
