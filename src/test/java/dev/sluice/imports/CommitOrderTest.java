package dev.sluice.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommitOrderTest {

    @Test
    void eachTurnWaitsForTheOneBeforeAndFailsWithIt() {
        CommitOrder order = new CommitOrder();
        CommitOrder.Turn first = order.next();
        CommitOrder.Turn second = order.next();
        CommitOrder.Turn third = order.next();
        assertThat(first.previous().await().indefinitely()).isNull();
        var pending = second.previous().subscribeAsCompletionStage();
        assertThat(pending).isNotDone();
        first.finished(null);
        assertThat(pending).isCompleted();
        second.finished(new IllegalStateException("batch 2 failed"));
        assertThatThrownBy(() -> third.previous().await().indefinitely()).hasMessageContaining("batch 2 failed");
    }

    @Test
    void aTurnWhosePredecessorSucceededIsNotHeldUpByLaterOnes() {
        CommitOrder order = new CommitOrder();
        CommitOrder.Turn first = order.next();
        CommitOrder.Turn second = order.next();
        order.next();
        first.finished(null);
        assertThat(second.previous().subscribeAsCompletionStage()).isCompleted();
    }
}
