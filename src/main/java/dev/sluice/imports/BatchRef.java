package dev.sluice.imports;

/** What a write strategy and the progress reporter need of a batch, parsed ({@link Batch}) or staged ({@link StagedBatch}). */
interface BatchRef {
    /** Records in the batch, rejected ones included. */
    int size();

    /** Of which the mapper rejected. */
    int rejectedCount();

    /** The file offset just after the batch's last record. */
    long endOffset();

    boolean last();
}
