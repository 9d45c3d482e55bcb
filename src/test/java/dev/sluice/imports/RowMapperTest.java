package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class RowMapperTest {
    private final RowMapper mapper = new RowMapper(ColumnPlan.resolve(
            List.of("SKU", "Name", "Price", "Stock", "Published"), Map.of("quantity", "Stock", "active", "Published")));

    @Test
    void typesAValidRow() {
        MappedRow row = mapper.map(new String[] {" A-1 ", " Kettle ", ".5", "", "yes"}, 7);
        assertThat(row)
                .isEqualTo(new MappedRow.Valid(
                        new ProductRow("A-1", "Kettle", null, new BigDecimal(".5"), 0, true), 7, null));
    }

    @Test
    void listsEveryProblemWithTheFilesColumnNames() {
        RejectedRow r = rejected(mapper.map(new String[] {"", "N", "abc", "1.5", "maybe"}, 9));
        assertThat(r.line()).isEqualTo(9);
        assertThat(r.problems())
                .extracting(RejectedRow.Problem::column)
                .containsExactlyInAnyOrder("Price", "Stock", "Published", "SKU");
    }

    @Test
    void shortRowsMeanMissingCells() {
        RejectedRow r = rejected(mapper.map(new String[] {"A"}, 3));
        assertThat(r.problems()).extracting(RejectedRow.Problem::column).containsExactly("Name");
    }

    @Test
    void aFileWithoutANameColumnLeavesTheNameToTheWriterAndKeepsTheCells() {
        RowMapper priceFeed = new RowMapper(ColumnPlan.resolve(List.of("sku", "price"), null));
        MappedRow.Valid v = (MappedRow.Valid) priceFeed.map(new String[] {"A-1", "9.50"}, 4);
        assertThat(v.row().name()).isNull();
        assertThat(v.row().price()).isEqualByComparingTo("9.50");
        assertThat(v.raw()).containsExactly("A-1", "9.50");
        assertThat(rejected(priceFeed.map(new String[] {"A-1", "cheap"}, 5)).problems())
                .extracting(RejectedRow.Problem::column)
                .containsExactly("price");
    }

    @Test
    void onlyTheSkuColumnIsRequired() {
        assertThat(ColumnPlan.resolve(List.of("SKU", "Price"), null).present()).containsExactly("sku", "price");
        Assertions.assertThatThrownBy(() -> ColumnPlan.resolve(List.of("name", "price"), null))
                .hasMessageContaining("sku");
    }

    private static RejectedRow rejected(MappedRow m) {
        assertThat(m).isInstanceOf(MappedRow.Rejected.class);
        return ((MappedRow.Rejected) m).row();
    }

    @Test
    void delimiterDetection() {
        assertThat(CsvChunkParser.detectDelimiter("a;b;\"c,d\"")).isEqualTo(';');
        assertThat(CsvChunkParser.detectDelimiter("a\tb\tc")).isEqualTo('\t');
        assertThat(CsvChunkParser.detectDelimiter("a|b")).isEqualTo('|');
        assertThat(CsvChunkParser.detectDelimiter("sku")).isEqualTo(',');
    }
}
