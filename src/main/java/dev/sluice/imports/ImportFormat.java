package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.spreadsheet.Formats;
import dev.sluice.spreadsheet.RangeSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which parser a file gets: csv or xlsx, from its first bytes (an XLSX is a ZIP), its filename's
 * extension and the {@code format} option. Bytes that contradict the option or the extension get a
 * 422 problem that says so; an OLE2 file (a password-protected workbook, an old .xls) gets one that
 * says which it is.
 */
final class ImportFormat {
    static final String CSV = "csv", XLSX = "xlsx";

    private ImportFormat() {}

    static String resolve(byte[] head, String filename, String declared) {
        String byName = byName(filename);
        Formats.Kind kind = Formats.sniff(head);
        if (kind == Formats.Kind.OLE2) {
            throw new ApiException(
                            422,
                            "Unreadable workbook",
                            Formats.ole2(new Head(head)).getMessage())
                    .with("detectedFormat", "ole2");
        }
        String bytesSay = kind == Formats.Kind.ZIP ? XLSX : CSV;
        if (declared != null && !declared.equals(bytesSay))
            throw contradiction("the format option says " + declared, bytesSay);
        if (declared == null && byName != null && !byName.equals(bytesSay) && !(head.length == 0 && byName.equals(CSV)))
            throw contradiction("its name (" + filename + ") says " + byName, bytesSay);
        return bytesSay;
    }

    private static ApiException contradiction(String claim, String bytesSay) {
        String actual = bytesSay.equals(XLSX)
                ? "a ZIP archive (an XLSX workbook)"
                : "not a ZIP archive, so not an XLSX workbook";
        return new ApiException(
                        422,
                        "Format mismatch",
                        "The file's bytes contradict its format: " + claim + ", but it is " + actual)
                .with("detectedFormat", bytesSay);
    }

    /** csv or xlsx by extension; null when the name says neither. */
    static String byName(String filename) {
        if (filename == null) return null;
        String f = filename.strip().toLowerCase(Locale.ROOT);
        if (f.endsWith(".xlsx") || f.endsWith(".xlsm")) return XLSX;
        if (f.endsWith(".csv") || f.endsWith(".tsv") || f.endsWith(".txt")) return CSV;
        return null;
    }

    /** The probe's first bytes as a {@link RangeSource}: reads past them come back empty. */
    private record Head(byte[] bytes) implements RangeSource {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public byte[] read(long offset, int length) {
            if (offset >= bytes.length) return new byte[0];
            return Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + length));
        }

        @Override
        public InputStream stream(long offset, long length) {
            return new ByteArrayInputStream(read(offset, (int) Math.min(Integer.MAX_VALUE, length)));
        }
    }
}
