package dev.sluice.progress;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * Where an import stands; every progress event carries a whole snapshot, so any one event is enough
 * to catch up. {@code phase} is {@code scan} while the file is read once for repeated SKUs (then
 * {@code scannedBytes} moves and nothing is written yet) and {@code write} while rows land
 * ({@code bytesRead} and the counts move).
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
        String errorMessage) {

    public boolean terminal() {
        return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }

    public ProgressSnapshot withSeq(long s) {
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
                rowsPerSecond,
                etaSeconds,
                errorMessage);
    }

    /** The same counts with another rate and ETA (a database snapshot carrying on the runner's pace). */
    public ProgressSnapshot withPace(double rate, Long eta) {
        return new ProgressSnapshot(
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
                rate,
                eta,
                errorMessage);
    }
}
