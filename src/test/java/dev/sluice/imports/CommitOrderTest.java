package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommitOrderTest {
    private static List<ProductRow> rows(String... skus) {
        return java.util.Arrays.stream(skus).map(s -> new ProductRow(s, "n", null, null, 0, true)).toList();
    }

    @Test
    void skusEqualUnderCaseFoldingAlwaysCountAsOverlapping() {
        CommitOrder order = new CommitOrder();
        order.next(rows("ab-100", "ΑΣ-7", "straße-9"));
        assertThat(order.next(rows("AB-100")).overlapsPrevious()).isTrue();
        assertThat(order.next(rows("ας-7")).overlapsPrevious()).isFalse(); // compared with the batch just before only
    }

    @Test
    void nonAsciiCaseVariantsMatchOnTheirDigits() {
        CommitOrder order = new CommitOrder();
        order.next(rows("ΑΣ-7"));
        assertThat(order.next(rows("ας-7")).overlapsPrevious()).isTrue();
        order.next(rows("\u212A-42")); // Kelvin sign, which lower() turns into an ASCII k
        assertThat(order.next(rows("k-42")).overlapsPrevious()).isTrue();
    }

    @Test
    void disjointBatchesOverlapInFlight() {
        CommitOrder order = new CommitOrder();
        order.next(rows("A-1", "A-2"));
        assertThat(order.next(rows("A-3", "A-4")).overlapsPrevious()).isFalse();
    }

    @Test
    void eachTurnWaitsForTheOneBeforeAndFailsWithIt() {
        CommitOrder order = new CommitOrder();
        CommitOrder.Turn first = order.next(rows("A-1"));
        CommitOrder.Turn second = order.next(rows("A-2"));
        CommitOrder.Turn third = order.next(rows("A-3"));
        assertThat(first.previous().await().indefinitely()).isNull();
        var pending = second.previous().subscribeAsCompletionStage();
        assertThat(pending).isNotDone();
        first.finished(null);
        assertThat(pending).isCompleted();
        second.finished(new IllegalStateException("batch 2 failed"));
        assertThatThrownBy(() -> third.previous().await().indefinitely()).hasMessageContaining("batch 2 failed");
    }
}
