package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProductColumnsTest {

    @Test
    void eachRowLandsAtTheSameIndexOfEveryColumn() {
        ProductColumns c = ProductColumns.of(
                List.of(
                        new MappedRow.Valid(
                                new ProductRow("A-1", "Kettle", null, new BigDecimal("1E+1"), 3, true), 2, null),
                        new MappedRow.Valid(new ProductRow("b-2", "Lamp", "Brass", null, 0, false), 5, null)),
                ColumnPlan.FIELDS);
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.sku()).containsExactly("A-1", "b-2");
        assertThat(c.name()).containsExactly("Kettle", "Lamp");
        assertThat(c.description()).containsExactly(null, "Brass");
        // Plain digits for PostgreSQL's numeric cast, never scientific notation; a missing price stays null.
        assertThat(c.price()).containsExactly("10", null);
        assertThat(c.quantity()).containsExactly(3, 0);
        assertThat(c.active()).containsExactly(true, false);
        assertThat(c.lines()).containsExactly(2L, 5L);
        assertThat(c.present()).isEqualTo(ColumnPlan.FIELDS);
    }

    @Test
    void everyRowGetsItsOwnTimeOrderedId() {
        List<MappedRow.Valid> rows = IntStream.range(0, 5000)
                .mapToObj(i ->
                        new MappedRow.Valid(new ProductRow("S-" + i, "N", null, BigDecimal.ONE, i, true), i + 2, null))
                .toList();
        ProductColumns c = ProductColumns.of(rows, ColumnPlan.FIELDS);
        assertThat(new HashSet<>(Arrays.asList(c.ids()))).hasSize(5000);
        assertThat(c.ids()).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
        // Version 7 keys start with the millisecond they were made: never decreasing within a batch.
        for (int i = 1; i < c.ids().length; i++) {
            assertThat(c.ids()[i].getMostSignificantBits() >>> 16)
                    .isGreaterThanOrEqualTo(c.ids()[i - 1].getMostSignificantBits() >>> 16);
        }
    }

    @Test
    void anEmptyBatchHasEmptyColumns() {
        assertThat(ProductColumns.of(List.of(), ColumnPlan.FIELDS).size()).isZero();
    }
}
