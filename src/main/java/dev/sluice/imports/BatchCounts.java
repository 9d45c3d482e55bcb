package dev.sluice.imports;

/**
 * What a batch did: per row, exactly one of created, updated, unchanged, duplicate or rejected for an
 * import; per recorded change, exactly one of deleted, restored or conflict for an undo.
 */
public record BatchCounts(
        long created,
        long updated,
        long unchanged,
        long duplicates,
        long rejected,
        long deleted,
        long restored,
        long conflicts) {
    public static final BatchCounts ZERO = new BatchCounts(0, 0, 0, 0, 0);

    /** An import's counts. */
    public BatchCounts(long created, long updated, long unchanged, long duplicates, long rejected) {
        this(created, updated, unchanged, duplicates, rejected, 0, 0, 0);
    }

    /** An undo's counts. */
    public static BatchCounts undo(long deleted, long restored, long conflicts) {
        return new BatchCounts(0, 0, 0, 0, 0, deleted, restored, conflicts);
    }

    public BatchCounts plus(BatchCounts o) {
        return new BatchCounts(
                created + o.created,
                updated + o.updated,
                unchanged + o.unchanged,
                duplicates + o.duplicates,
                rejected + o.rejected,
                deleted + o.deleted,
                restored + o.restored,
                conflicts + o.conflicts);
    }

    public long rows() {
        return created + updated + unchanged + duplicates + rejected + deleted + restored + conflicts;
    }
}
