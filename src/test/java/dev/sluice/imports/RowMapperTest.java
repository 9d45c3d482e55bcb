package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMapperTest {
    private final RowMapper mapper = new RowMapper(ColumnPlan.resolve(
            List.of("SKU", "Name", "Price", "Stock", "Published"),
            Map.of("quantity", "Stock", "active", "Published")));

    @Test
    void typesAValidRow() {
        Object row = mapper.map(new String[] {" A-1 ", " Kettle ", ".5", "", "yes"}, 7);
        assertThat(row).isEqualTo(new ProductRow("A-1", "Kettle", null, new BigDecimal(".5"), 0, true));
    }

    @Test
    void listsEveryProblemWithTheFilesColumnNames() {
        RejectedRow r = (RejectedRow) mapper.map(new String[] {"", "N", "abc", "1.5", "maybe"}, 9);
        assertThat(r.line()).isEqualTo(9);
        assertThat(r.problems()).extracting(RejectedRow.Problem::column).containsExactlyInAnyOrder("Price", "Stock", "Published", "SKU");
    }

    @Test
    void shortRowsMeanMissingCells() {
        RejectedRow r = (RejectedRow) mapper.map(new String[] {"A"}, 3);
        assertThat(r.problems()).extracting(RejectedRow.Problem::column).containsExactly("Name");
    }

    @Test
    void delimiterDetection() {
        assertThat(CsvChunkParser.detectDelimiter("a;b;\"c,d\"")).isEqualTo(';');
        assertThat(CsvChunkParser.detectDelimiter("a\tb\tc")).isEqualTo('\t');
        assertThat(CsvChunkParser.detectDelimiter("a|b")).isEqualTo('|');
        assertThat(CsvChunkParser.detectDelimiter("sku")).isEqualTo(',');
    }
}
