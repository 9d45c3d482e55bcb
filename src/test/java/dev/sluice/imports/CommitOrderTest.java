package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommitOrderTest {
    private static String[] skus(String... skus) {
        return skus;
    }

    @Test
    void skusEqualUnderCaseFoldingAlwaysCountAsOverlapping() {
        CommitOrder order = new CommitOrder();
        order.next(skus("ab-100", "ΑΣ-7", "straße-9"));
        assertThat(order.next(skus("AB-100")).overlapsPrevious()).isTrue();
        assertThat(order.next(skus("ας-7")).overlapsPrevious()).isFalse(); // compared with the batch just before only
    }

    @Test
    void nonAsciiCaseVariantsMatchOnTheirDigits() {
        CommitOrder order = new CommitOrder();
        order.next(skus("ΑΣ-7"));
        assertThat(order.next(skus("ας-7")).overlapsPrevious()).isTrue();
        order.next(skus("\u212A-42")); // Kelvin sign, which lower() turns into an ASCII k
        assertThat(order.next(skus("k-42")).overlapsPrevious()).isTrue();
    }

    @Test
    void disjointBatchesOverlapInFlight() {
        CommitOrder order = new CommitOrder();
        order.next(skus("A-1", "A-2"));
        assertThat(order.next(skus("A-3", "A-4")).overlapsPrevious()).isFalse();
    }

    @Test
    void eachTurnWaitsForTheOneBeforeAndFailsWithIt() {
        CommitOrder order = new CommitOrder();
        CommitOrder.Turn first = order.next(skus("A-1"));
        CommitOrder.Turn second = order.next(skus("A-2"));
        CommitOrder.Turn third = order.next(skus("A-3"));
        assertThat(first.previous().await().indefinitely()).isNull();
        var pending = second.previous().subscribeAsCompletionStage();
        assertThat(pending).isNotDone();
        first.finished(null);
        assertThat(pending).isCompleted();
        second.finished(new IllegalStateException("batch 2 failed"));
        assertThatThrownBy(() -> third.previous().await().indefinitely()).hasMessageContaining("batch 2 failed");
    }
}
