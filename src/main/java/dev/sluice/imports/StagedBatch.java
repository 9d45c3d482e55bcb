package dev.sluice.imports;

/** A batch the scan staged ({@code import_batches}): what the write phase merges, in file order. */
record StagedBatch(int batch, int rows, int rejected, long endOffset, boolean last) implements BatchRef {
    @Override
    public int size() {
        return rows;
    }

    @Override
    public int rejectedCount() {
        return rejected;
    }

    /** The valid rows the scan staged for this batch. */
    int staged() {
        return rows - rejected;
    }
}
