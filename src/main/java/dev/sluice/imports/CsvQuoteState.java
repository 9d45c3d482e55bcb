package dev.sluice.imports;

/**
 * Where a CSV scanner stands, one character (or byte) at a time, to find record ends the way
 * RFC 4180 means them: a quote opens a quoted field only at the start of a field; inside one, a
 * doubled quote is a literal quote and a single quote closes it. A stray quote in the middle of a
 * field is just a character, so one malformed row cannot swallow the rows after it.
 * Works on bytes of any ASCII-compatible charset and on chars alike.
 */
final class CsvQuoteState {
    private static final int FIELD_START = 0, UNQUOTED = 1, QUOTED = 2, QUOTE_IN_QUOTED = 3;
    private final int delimiter; // -1: not known yet, any of , ; tab | separates fields
    private int state = FIELD_START;

    CsvQuoteState(Character delimiter) {
        this.delimiter = delimiter == null ? -1 : delimiter;
    }

    /** Feeds one character; true when it ends a record (a LF outside quotes). */
    boolean step(int c) {
        switch (state) {
            case QUOTED -> {
                if (c == '"') state = QUOTE_IN_QUOTED;
                return false;
            }
            case QUOTE_IN_QUOTED -> {
                if (c == '"') {
                    state = QUOTED; // "" is a literal quote
                    return false;
                }
            }
            case FIELD_START -> {
                if (c == '"') {
                    state = QUOTED;
                    return false;
                }
            }
            default -> {}
        }
        if (c == '\n') {
            state = FIELD_START;
            return true;
        }
        state = isDelimiter(c) ? FIELD_START : UNQUOTED;
        return false;
    }

    /** True inside a quoted field that has not been closed. */
    boolean inQuotes() {
        return state == QUOTED;
    }

    private boolean isDelimiter(int c) {
        return delimiter >= 0 ? c == delimiter : c == ',' || c == ';' || c == '\t' || c == '|';
    }
}
