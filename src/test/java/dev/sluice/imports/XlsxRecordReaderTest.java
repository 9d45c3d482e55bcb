package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.spreadsheet.RangeSource;
import dev.sluice.spreadsheet.Workbook;
import dev.sluice.spreadsheet.XlsxLimits;
import dev.sluice.support.Workbooks;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The XLSX parser stage: the same records as CSV, in batches, and an exact resume from a checkpoint's line. */
class XlsxRecordReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static XlsxRecordReader reader(byte[] file, long skipThrough) {
        RangeSource source = new RangeSource() {
            @Override
            public long size() {
                return file.length;
            }

            @Override
            public byte[] read(long offset, int length) {
                return Arrays.copyOfRange(file, (int) offset, (int) Math.min(file.length, offset + length));
            }

            @Override
            public InputStream stream(long offset, long length) {
                return new ByteArrayInputStream(file, (int) offset, (int) length);
            }
        };
        return new XlsxRecordReader(
                () -> Workbook.open(source, XlsxLimits.DEFAULTS), null, 100, skipThrough, file.length, JSON);
    }

    private static List<RecordReader.Parsed> all(XlsxRecordReader r) {
        List<RecordReader.Parsed> out = new ArrayList<>();
        try (r) {
            RecordReader.Parsed p;
            do {
                p = r.next();
                out.add(p);
            } while (!p.last());
        }
        return out;
    }

    private static List<Long> lines(List<RecordReader.Parsed> batches) {
        return batches.stream()
                .flatMap(b -> Arrays.stream(b.records().lines()).boxed())
                .toList();
    }

    @Test
    void rowsComeInBatchesNumberedByTheirSheetRow() {
        byte[] file = Workbooks.inlineStrings("P", 250);
        XlsxRecordReader r = reader(file, 0);
        List<RecordReader.Parsed> batches = all(r);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(0).records().lines()).hasSize(100).startsWith(2L);
        assertThat(batches.get(0).endLine()).isEqualTo(101);
        assertThat(batches.get(0).endOffset()).isBetween(1L, file.length - 1L);
        assertThat(batches.get(2).endOffset()).isEqualTo(file.length);
        assertThat(r.header()).containsExactly("sku", "name", "price", "quantity", "active");
        assertThat(batches.get(0).records().cells(0)).containsExactly("P-00001", "Item 1", "1.25", "1", "false");
    }

    @Test
    void aResumedScanReadsFromTheStartAndSkipsExactlyTheCheckpointedRows() {
        byte[] file = Workbooks.inlineStrings("P", 250);
        List<Long> clean = lines(all(reader(file, 0)));
        // The first batch committed with its checkpoint (line 101); a crash; the scan starts again.
        List<Long> resumed = lines(all(reader(file, 101)));
        assertThat(resumed).isEqualTo(clean.subList(100, clean.size()));
        assertThat(resumed.getFirst()).isEqualTo(102);
        // Resumed after the last batch: nothing is staged again, and the scan still ends.
        List<RecordReader.Parsed> after = all(reader(file, 251));
        assertThat(lines(after)).isEmpty();
        assertThat(after.getLast().last()).isTrue();
    }

    @Test
    void errorCellsAreRefusedByTheReaderAndMapperReasonsNameTheirCell() {
        XlsxRecordReader r = reader(Workbooks.catalog("P"), 0);
        RecordReader.Parsed p = all(r).getFirst();
        assertThat(p.records().lines()).containsExactly(2, 3, 5, 6);
        assertThat(p.rejected(0)).isNull();
        RejectedRow err = p.rejected(2);
        assertThat(err.line()).isEqualTo(5);
        assertThat(err.problems())
                .containsExactly(new RejectedRow.Problem("description", "#DIV/0!", "cell F5 holds an error (#DIV/0!)"));
        RejectedRow located = r.locate(
                new RejectedRow(6, List.of(), List.of(new RejectedRow.Problem("price", "abc", "is not a number"))));
        assertThat(located.problems().getFirst().reason()).isEqualTo("cell C6 is not a number");
    }
}
