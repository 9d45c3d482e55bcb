package dev.sluice.imports;

import java.util.List;

/** What the mapper makes of one record: a typed row for the writer, or a rejected row for the error report. */
public sealed interface MappedRow {
    long line();

    /**
     * A row that passed validation. {@code raw} is kept only when the file has no name column: such a
     * row can still be refused by the writer (its SKU may not exist yet), and the report shows the row.
     */
    record Valid(ProductRow row, long line, List<String> raw) implements MappedRow {}

    record Rejected(RejectedRow row) implements MappedRow {
        @Override
        public long line() {
            return row.line();
        }
    }
}
