package dev.sluice.imports;

import java.util.List;

/**
 * One unit of work for the writer: the valid rows of one chunk, as the writer's column arrays, its
 * rejected rows, and where the file stands after it (the checkpoint written with it).
 */
public record Batch(ProductColumns rows, List<RejectedRow> rejects, long endOffset, long endLine, boolean last) {
    public int size() {
        return rows.size() + rejects.size();
    }
}
