package dev.sluice.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition, with a deadline and a reason that says what was awaited when it fails. */
public final class Await {
    private Await() {}

    public static void until(String reason, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Timed out after " + timeout + " waiting for: " + reason);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
