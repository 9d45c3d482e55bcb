package dev.sluice.imports;

import java.util.List;

/**
 * A parser stage: the file's records as cells with their line, whatever the format ({@link
 * CsvRecordReader}, {@link XlsxRecordReader}). Everything downstream (mapping, validation,
 * staging, writes) is the same for every format.
 */
interface RecordReader {
    /** The header's cells; null before the first chunk. */
    List<String> header();

    /** What a checkpoint stores about the parser. */
    ImportSql.ParseState state();

    /** A rejected row as the error report shows it (XLSX: each reason names its cell, e.g. C17). */
    default RejectedRow locate(RejectedRow row) {
        return row;
    }

    /**
     * One chunk of records, parsed: {@code rejected[i]}, when set, is record i refused by the parser
     * itself (an XLSX error cell), which the mapper then doesn't see; {@code endOffset}/{@code endLine}
     * say where the file stands after the chunk.
     */
    record Parsed(CsvRecordReader.Records records, RejectedRow[] rejected, long endOffset, long endLine, boolean last) {
        RejectedRow rejected(int i) {
            return rejected == null ? null : rejected[i];
        }
    }
}
