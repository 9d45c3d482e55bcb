package dev.sluice.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits in tests for something that happens asynchronously (a job finishing, a delivery logged, a
 * revocation reaching this replica), polling instead of sleeping a fixed time. A timeout fails
 * with the reason and the time waited, so a failure says what never happened.
 */
public final class Await {
    /** Between polls: short enough to add little to a test, long enough not to hammer the server. */
    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {}

    /** Polls {@code condition} until it holds; fails after {@code timeout}. */
    public static void until(String reason, Duration timeout, BooleanSupplier condition) {
        until(reason, timeout, POLL, condition);
    }

    public static void until(String reason, Duration timeout, Duration poll, BooleanSupplier condition) {
        value(reason, timeout, poll, () -> condition.getAsBoolean() ? Boolean.TRUE : null, v -> true, () -> "");
    }

    /**
     * Polls {@code probe} until its value passes {@code done}, and returns that value; fails after
     * {@code timeout}, quoting the last value seen.
     */
    public static <T> T value(
            String reason, Duration timeout, Duration poll, Supplier<T> probe, Predicate<? super T> done) {
        Object[] last = {null};
        return value(
                reason,
                timeout,
                poll,
                () -> {
                    T v = probe.get();
                    last[0] = v;
                    return v;
                },
                done,
                () -> "; last seen: " + last[0]);
    }

    private static <T> T value(
            String reason,
            Duration timeout,
            Duration poll,
            Supplier<T> probe,
            Predicate<? super T> done,
            Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = probe.get();
            if (v != null && done.test(v)) return v;
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(
                        "Timed out after " + timeout.toMillis() + " ms waiting until " + reason + lastSeen.get());
            }
            pause(poll);
        }
    }

    /** Checks that {@code condition} holds throughout {@code period}; fails with {@code reason} the first time it doesn't. */
    public static void holds(String reason, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) throw new AssertionError("No longer true: " + reason);
            pause(POLL);
        } while (System.nanoTime() < end);
    }

    /** A fixed pause, for tests that check that something does NOT happen within a time. */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
