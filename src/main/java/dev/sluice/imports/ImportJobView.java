package dev.sluice.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An import as the API shows it (flat). {@code duplicates} counts rows whose SKU appeared again in
 * the file (the last one wins), so processedRows = created + updated + unchanged + duplicates + rejected.
 * A dry run reports what it would have done in the same fields. {@code phase}: {@code scan} while the
 * file is read for repeated SKUs ({@code scannedBytes} moves), then {@code write}.
 * <p>
 * {@code kind}: {@code import}, {@code undo} (it takes back the job {@code undoOf}: processedRows =
 * deleted + restored + conflicts, out of {@code totalRows} recorded changes) or {@code delete-all}
 * ({@code deleted} products). {@code undoneBy} names the undo of this job, once one was asked for.
 */
public record ImportJobView(
        UUID id,
        String filename,
        String objectKey,
        String status,
        String phase,
        ImportOptions options,
        String encoding,
        Long totalRows,
        long processedRows,
        long created,
        long updated,
        long unchanged,
        long rejected,
        long duplicates,
        Long bytesTotal,
        long scannedBytes,
        long bytesRead,
        String errorMessage,
        String notes,
        UUID createdBy,
        String createdByEmail,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        List<UnmappedColumn> unmappedColumns,
        String kind,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID undoOf,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID undoneBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean force,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long deleted,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long restored,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long conflicts,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean undoable) {
    private static final TypeReference<List<UnmappedColumn>> UNMAPPED = new TypeReference<>() {};

    /** The job with its options and unmapped columns read back from their stored JSON. */
    static ImportJobView of(ImportJob j, ObjectMapper json) {
        try {
            return of(
                    j,
                    json.readValue(j.options, ImportOptions.class),
                    j.unmappedColumns == null ? List.of() : json.readValue(j.unmappedColumns, UNMAPPED));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ImportJobView of(ImportJob j, ImportOptions options, List<UnmappedColumn> unmapped) {
        return new ImportJobView(
                j.id,
                j.filename,
                j.objectKey,
                j.status,
                j.phase,
                options,
                j.encoding,
                j.totalRows,
                j.processedRows,
                j.created,
                j.updated,
                j.unchanged,
                j.rejected,
                j.duplicates,
                j.bytesTotal,
                j.scannedBytes,
                j.bytesRead,
                j.errorMessage,
                j.notes,
                j.createdBy,
                j.createdByEmail,
                j.createdAt,
                j.startedAt,
                j.completedAt,
                unmapped,
                j.kind,
                j.undoOf,
                j.undoneBy,
                JobKind.UNDO.is(j.kind) ? j.force : null,
                JobKind.IMPORT.is(j.kind) ? null : j.deleted,
                JobKind.UNDO.is(j.kind) ? j.restored : null,
                JobKind.UNDO.is(j.kind) ? j.conflicts : null,
                undoable(j, options));
    }

    /**
     * Whether an undo may be asked for now: the job ended, changed the catalog with its changes
     * recorded, still has them, and has no undo yet. What {@code POST /api/imports/{id}/undo} checks.
     */
    static boolean undoable(ImportJob j, ImportOptions options) {
        return UndoRules.refusal(j, options) == null;
    }
}
