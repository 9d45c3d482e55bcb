package dev.sluice.imports;

/** Ends an import as failed with a message meant for the user (no stack trace needed). */
public class ImportFailure extends RuntimeException {
    public ImportFailure(String message) {
        super(message, null, false, false);
    }
}
