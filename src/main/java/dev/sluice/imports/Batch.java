package dev.sluice.imports;

import java.util.List;
import java.util.Map;

/**
 * One unit of work for the writer: the valid rows of one chunk, as the writer's column arrays, its
 * rejected rows, and where the file stands after it (the checkpoint written with it). {@code rawByLine}
 * holds the cells of valid rows only when the file has no name column, for the rows the writer refuses.
 */
public record Batch(ProductColumns rows, List<RejectedRow> rejects, Map<Long, List<String>> rawByLine, long endOffset,
                    long endLine, boolean last) {
    public int size() {
        return rows.size() + rejects.size();
    }
}
