package dev.sluice.spreadsheet;

import java.io.Closeable;

/** The workbook's shared-strings table, by index; cells of type {@code s} hold an index into it. */
public interface SharedStrings extends Closeable {
    /** The string at {@code index}; null when the table has none there. */
    String get(int index);

    @Override
    void close();

    SharedStrings EMPTY = new SharedStrings() {
        @Override
        public String get(int index) {
            return null;
        }

        @Override
        public void close() {}
    };
}
