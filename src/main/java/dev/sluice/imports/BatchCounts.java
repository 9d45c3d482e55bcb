package dev.sluice.imports;

/** What a batch did: per row, exactly one of created, updated, unchanged, duplicate or rejected. */
public record BatchCounts(long created, long updated, long unchanged, long duplicates, long rejected) {
    public static final BatchCounts ZERO = new BatchCounts(0, 0, 0, 0, 0);

    public BatchCounts plus(BatchCounts o) {
        return new BatchCounts(
                created + o.created,
                updated + o.updated,
                unchanged + o.unchanged,
                duplicates + o.duplicates,
                rejected + o.rejected);
    }

    public long rows() {
        return created + updated + unchanged + duplicates + rejected;
    }
}
