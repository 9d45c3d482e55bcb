package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline's stages one at a time, without Quarkus: quote state, decoder, reader, assembler, options. */
class StageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<RecordFramer.Chunk> frame(String csv, int perChunk) {
        RecordFramer framer = new RecordFramer(perChunk, 1 << 20, 0, 0, null);
        List<RecordFramer.Chunk> chunks =
                new ArrayList<>(framer.feed(ByteBuffer.wrap(csv.getBytes(StandardCharsets.UTF_8))));
        chunks.addAll(framer.finish());
        return chunks;
    }

    @Test
    void aQuoteOnlyOpensAQuotedFieldAtTheStartOfAField() {
        CsvQuoteState q = new CsvQuoteState(',');
        for (char c : "a,\"x\ny".toCharArray()) assertThat(q.step(c)).isFalse();
        assertThat(q.inQuotes()).isTrue();
        for (char c : "\"\"z\"".toCharArray()) q.step(c);
        assertThat(q.inQuotes()).isFalse();
        assertThat(q.step('\n')).isTrue();
        CsvQuoteState stray = new CsvQuoteState(',');
        for (char c : "ab\"c".toCharArray()) stray.step(c);
        assertThat(stray.inQuotes()).as("a quote mid-field is a character").isFalse();
        assertThat(stray.step('\n')).isTrue();
    }

    @Test
    void theDecoderFallsBackToWindows1252OnceAndSaysWhere() {
        ChunkDecoder d = new ChunkDecoder(StandardCharsets.UTF_8, false);
        assertThat(d.decode("Über".getBytes(StandardCharsets.UTF_8), 1)).isEqualTo("Über");
        assertThat(d.decode("Caf\u00e9".getBytes(Charset.forName("windows-1252")), 40))
                .isEqualTo("Café");
        assertThat(d.charset()).isEqualTo(ChunkDecoder.WINDOWS_1252);
        assertThat(d.fallbackNote()).contains("line 40");
        ChunkDecoder explicit = new ChunkDecoder(StandardCharsets.UTF_8, true);
        assertThat(explicit.decode(new byte[] {(byte) 0xE9}, 1)).isEqualTo("\uFFFD");
        assertThat(explicit.fallbackNote()).isNull();
    }

    @Test
    void theReaderTakesTheHeaderFromTheFirstChunkAndKeepsLines() {
        CsvRecordReader reader = new CsvRecordReader(ImportOptions.DEFAULTS, JSON, null, null, null, null);
        List<RecordFramer.Chunk> chunks = frame("sku;name\nA;\"x\ny\"\nB;z\n", 2);
        CsvRecordReader.Records first = reader.read(chunks.get(0));
        assertThat(reader.header()).containsExactly("sku", "name");
        assertThat(reader.delimiterChar()).isEqualTo(';');
        assertThat(first.lines()).containsExactly(2L);
        assertThat(first.cells(0)).containsExactly("A", "x\ny");
        CsvRecordReader.Records second = reader.read(chunks.get(1));
        assertThat(second.lines()).containsExactly(4L);
        assertThat(reader.state().headerJson()).isEqualTo("[\"sku\",\"name\"]");
        assertThat(reader.state().delimiter()).isEqualTo(";");
    }

    @Test
    void aReaderResumingMidFileUsesTheStoredHeader() {
        CsvRecordReader reader =
                new CsvRecordReader(ImportOptions.DEFAULTS, JSON, "UTF-8", ",", "[\"sku\",\"price\"]", null);
        RecordFramer framer = new RecordFramer(10, 1 << 20, 100, 7, ',');
        List<RecordFramer.Chunk> chunks =
                new ArrayList<>(framer.feed(ByteBuffer.wrap("C,3\n".getBytes(StandardCharsets.UTF_8))));
        chunks.addAll(framer.finish());
        CsvRecordReader.Records r = reader.read(chunks.getFirst());
        assertThat(r.lines()).containsExactly(8L);
        assertThat(r.cells(0)).containsExactly("C", "3");
    }

    @Test
    void anEmptyFileFailsTheRunWithAReason() {
        CsvRecordReader reader = new CsvRecordReader(ImportOptions.DEFAULTS, JSON, null, null, null, null);
        List<RecordFramer.Chunk> chunks = frame("", 10);
        assertThatThrownBy(() -> reader.read(chunks.getFirst()))
                .isInstanceOf(ImportFailure.class)
                .hasMessageContaining("empty");
    }

    @Test
    void theAssemblerSplitsValidAndRejectedRowsAndKeepsCellsOnlyWithoutANameColumn() {
        CsvRecordReader reader = new CsvRecordReader(ImportOptions.DEFAULTS, JSON, null, null, null, null);
        BatchAssembler assembler =
                new BatchAssembler(reader, ImportOptions.DEFAULTS, dev.sluice.attribute.Attributes.NONE, 3);
        List<RecordFramer.Chunk> chunks = frame("sku,name,price\nA,Kettle,1.5\nB,,2\nC,Cup,1\n", 3);
        Batch b = assembler.assemble(chunks.get(0));
        assertThat(b.number()).isEqualTo(3);
        assertThat(b.rows().sku()).containsExactly("A");
        assertThat(b.rows().lines()).containsExactly(2L);
        assertThat(b.rejects()).extracting(RejectedRow::line).containsExactly(3L);
        assertThat(b.rows().raw()).containsOnlyNulls();
        assertThat(b.rows().present()).containsExactly("sku", "name", "price");
        assertThat(assembler.assemble(chunks.get(1)).number())
                .as("numbered in file order")
                .isEqualTo(4);

        CsvRecordReader feedReader = new CsvRecordReader(ImportOptions.DEFAULTS, JSON, null, null, null, null);
        Batch feed = new BatchAssembler(feedReader, ImportOptions.DEFAULTS, dev.sluice.attribute.Attributes.NONE, 0)
                .assemble(frame("sku,price\nA,1.5\n", 10).getFirst());
        assertThat(feed.rows().raw()).containsExactly("[\"A\",\"1.5\"]");
        assertThat(feed.rows().present()).containsExactly("sku", "price");
    }

    @Test
    void aHeaderWithoutSkuFailsTheRun() {
        CsvRecordReader reader = new CsvRecordReader(ImportOptions.DEFAULTS, JSON, null, null, null, null);
        BatchAssembler assembler =
                new BatchAssembler(reader, ImportOptions.DEFAULTS, dev.sluice.attribute.Attributes.NONE, 0);
        assertThatThrownBy(
                        () -> assembler.assemble(frame("code,name\nA,B\n", 10).getFirst()))
                .isInstanceOf(ImportFailure.class)
                .hasMessageContaining("sku");
    }

    @Test
    void optionsFillDefaultsAndNameEveryBadField() {
        ImportOptions o = new ImportOptions(null, null, null, "tab", "latin1").validated();
        assertThat(o.mode()).isEqualTo("apply");
        assertThat(o.onError()).isEqualTo("skip");
        assertThat(o.delimiterChar()).isEqualTo('\t');
        assertThat(o.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> new ImportOptions("x", "y", Map.of("colour", "C"), "#", "klingon").validated())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void theWriterStatementSetsOnlyTheFilesColumns() {
        String feed = ProductBatchWriter.statement(List.of("sku", "price"), true);
        assertThat(feed)
                .contains("update products p set sku = w.sku, price = w.price")
                .doesNotContain("insert into products")
                .doesNotContain("quantity = ")
                .contains("import_last")
                .contains("from import_rows s where s.job_id = $1 and s.batch = $2");
        String full = ProductBatchWriter.statement(ColumnPlan.FIELDS, false);
        assertThat(full)
                .contains("insert into products")
                .contains("quantity = excluded.quantity")
                .doesNotContain("import_last");
    }
}
