package dev.sluice.spreadsheet;

import java.util.List;

/** The {@code sheet} option names no worksheet of the workbook. */
public class UnknownSheetException extends XlsxException {
    private final List<String> sheets;

    public UnknownSheetException(String wanted, List<String> sheets) {
        super("The workbook has no worksheet '" + wanted + "'; its worksheets are " + sheets);
        this.sheets = List.copyOf(sheets);
    }

    public List<String> sheets() {
        return sheets;
    }
}
