package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FallbackLimiterTests {
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

    private FallbackLimiter limiter(int maxKeys) {
        return new FallbackLimiter(maxKeys, Duration.ofSeconds(60), clock::get);
    }

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void locksAtTheLimitUntilTheWindowFromTheFirstFailureEnds() {
        var l = limiter(100);
        for (int i = 0; i < 4; i++) l.recordFailure("e");
        assertThat(l.lockedFor("e", 5)).isZero();
        advance(Duration.ofSeconds(20));
        l.recordFailure("e");
        assertThat(l.lockedFor("e", 5)).isEqualTo(40);
        advance(Duration.ofMillis(39_500));
        assertThat(l.lockedFor("e", 5)).as("rounded up, never 0 while locked").isEqualTo(1);
        advance(Duration.ofMillis(500));
        assertThat(l.lockedFor("e", 5)).isZero();
        // A new window starts with the next failure.
        l.recordFailure("e");
        assertThat(l.lockedFor("e", 1)).isEqualTo(60);
        assertThat(l.lockedFor("e", 2)).isZero();
    }

    @Test
    void countsEachKeySeparatelyAndForgets() {
        var l = limiter(100);
        for (int i = 0; i < 5; i++) l.recordFailure("email:a", "ip:1");
        l.recordFailure("email:b", "ip:1");
        assertThat(l.lockedFor("email:a", 5)).isPositive();
        assertThat(l.lockedFor("email:b", 5)).isZero();
        assertThat(l.lockedFor("ip:1", 6)).isPositive();
        l.forget("email:a");
        assertThat(l.lockedFor("email:a", 5)).isZero();
        assertThat(l.lockedFor("ip:1", 6)).isPositive();
    }

    @Test
    void rotatingKeysNeverHoldsMoreThanTheCapAndDropsTheOldestFirst() {
        var l = limiter(1000);
        for (int i = 0; i < 5; i++) l.recordFailure("email:victim");
        advance(Duration.ofSeconds(1));
        for (int i = 0; i < 100_000; i++) {
            l.recordFailure("email:rotated-" + i);
            assertThat(l.size()).isLessThanOrEqualTo(1000);
        }
        assertThat(l.size()).isEqualTo(1000);
        // The oldest went first: the victim's counter, and the first rotated ones.
        assertThat(l.lockedFor("email:victim", 5)).isZero();
        assertThat(l.lockedFor("email:rotated-99999", 1)).isPositive();
        assertThat(l.lockedFor("email:rotated-98999", 1)).isZero();
        assertThat(l.lockedFor("email:rotated-99000", 1)).isPositive();
    }

    @Test
    void expiredCountersAreDroppedBeforeAnyLiveOne() {
        var l = limiter(3);
        l.recordFailure("old-1", "old-2");
        advance(Duration.ofSeconds(30));
        l.recordFailure("live");
        advance(Duration.ofSeconds(31)); // old-1 and old-2 have expired, live has not
        l.recordFailure("new-1", "new-2");
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.lockedFor("live", 1)).isEqualTo(29);
        assertThat(l.lockedFor("new-1", 1)).isEqualTo(60);
    }
}
