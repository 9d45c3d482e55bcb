package dev.sluice.imports;

import java.util.List;

/** A row that was refused: where it was, what it held, and why. */
public record RejectedRow(long line, List<String> raw, List<Problem> problems) {

    /** One reason: the column as named in the file, the value found, and what is wrong with it. */
    public record Problem(String column, String value, String reason) {}
}
