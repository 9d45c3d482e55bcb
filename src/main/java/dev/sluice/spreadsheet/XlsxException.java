package dev.sluice.spreadsheet;

/** The workbook can't be read as given; the message says why, in words meant for the person who sent it. */
public class XlsxException extends RuntimeException {
    public XlsxException(String message) {
        super(message);
    }

    public XlsxException(String message, Throwable cause) {
        super(message, cause);
    }
}
