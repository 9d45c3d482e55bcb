package dev.sluice.imports;

/** One batch of the changes an undo takes back: the target's batch number and how many changes it holds. */
record UndoBatch(int batch, int rows, boolean last) implements BatchRef {
    @Override
    public int size() {
        return rows;
    }

    @Override
    public int rejectedCount() {
        return 0;
    }

    /** An undo reads no file. */
    @Override
    public long endOffset() {
        return 0;
    }
}
