package dev.sluice.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition with a deadline and a reason, instead of sleeping in loops in each test. */
public final class Await {
    private static final long POLL_MS = 50;

    private Await() {}

    /** Returns once {@code condition} holds; fails with {@code reason} if it doesn't within {@code timeout}. */
    public static void until(String reason, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Timed out after " + timeout.toMillis() + " ms: " + reason);
            pause();
        }
    }

    /** Checks that {@code condition} holds throughout {@code period}; fails with {@code reason} the first time it doesn't. */
    public static void holds(String reason, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) throw new AssertionError("No longer true: " + reason);
            pause();
        } while (System.nanoTime() < end);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
