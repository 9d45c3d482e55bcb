package dev.sluice.progress;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * Where an import stands; every progress event carries a whole snapshot, so any one event is enough
 * to catch up. {@code phase} is {@code scan} while the file is read once for repeated SKUs (then
 * {@code scannedBytes} moves and nothing is written yet) and {@code write} while rows land
 * ({@code bytesRead} and the counts move). An undo ({@code kind: "undo"}) reads no file: it moves
 * through {@code totalRows} recorded changes, counted as {@code deleted}, {@code restored} and
 * {@code conflicts}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgressSnapshot(
        long seq,
        UUID jobId,
        String status,
        String phase,
        long scannedBytes,
        long bytesRead,
        Long bytesTotal,
        long processedRows,
        long created,
        long updated,
        long unchanged,
        long rejected,
        long duplicates,
        double rowsPerSecond,
        Long etaSeconds,
        String errorMessage,
        String kind,
        Long totalRows,
        Long deleted,
        Long restored,
        Long conflicts) {

    /** An import's snapshot. */
    public ProgressSnapshot(
            long seq,
            UUID jobId,
            String status,
            String phase,
            long scannedBytes,
            long bytesRead,
            Long bytesTotal,
            long processedRows,
            long created,
            long updated,
            long unchanged,
            long rejected,
            long duplicates,
            double rowsPerSecond,
            Long etaSeconds,
            String errorMessage) {
        this(
                seq,
                jobId,
                status,
                phase,
                scannedBytes,
                bytesRead,
                bytesTotal,
                processedRows,
                created,
                updated,
                unchanged,
                rejected,
                duplicates,
                rowsPerSecond,
                etaSeconds,
                errorMessage,
                "import",
                null,
                null,
                null,
                null);
    }

    public boolean terminal() {
        return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }

    public ProgressSnapshot withSeq(long s) {
        return copy(s, rowsPerSecond, etaSeconds, kind, totalRows, deleted, restored, conflicts);
    }

    /** The same counts with another rate and ETA (a database snapshot carrying on the runner's pace). */
    public ProgressSnapshot withPace(double rate, Long eta) {
        return copy(seq, rate, eta, kind, totalRows, deleted, restored, conflicts);
    }

    /** The same snapshot as an undo's: its kind, how many changes it takes back, and its counts. */
    public ProgressSnapshot asUndo(long total, long deleted, long restored, long conflicts) {
        return copy(seq, rowsPerSecond, etaSeconds, "undo", total, deleted, restored, conflicts);
    }

    private ProgressSnapshot copy(
            long s, double rate, Long eta, String kind, Long total, Long deleted, Long restored, Long conflicts) {
        return new ProgressSnapshot(
                s,
                jobId,
                status,
                phase,
                scannedBytes,
                bytesRead,
                bytesTotal,
                processedRows,
                created,
                updated,
                unchanged,
                rejected,
                duplicates,
                rate,
                eta,
                errorMessage,
                kind,
                total,
                deleted,
                restored,
                conflicts);
    }
}
