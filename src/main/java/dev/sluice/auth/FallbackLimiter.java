package dev.sluice.auth;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed-login counters in this instance's memory, for while Redis can't be reached: the same keys as
 * in Redis, each a window that starts at its first failure and ends {@code window} later, as the Redis
 * key's expiry does. At most {@code maxKeys} counters are kept, so an attacker rotating emails can't
 * grow memory without limit: expired ones go first, then the oldest (which would expire soonest anyway,
 * since every window has the same length). Only this instance's failures are counted here; several
 * replicas each enforce the limit on their own. Used by the login limits and code sign-in's per-IP limit.
 */
public final class FallbackLimiter {
    private final int maxKeys;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    /** Insertion order is expiry order: every window has the same length and a counter is never moved. */
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final long endsAt;
        int failures;

        Window(long endsAt) {
            this.endsAt = endsAt;
        }
    }

    public FallbackLimiter(int maxKeys, Duration window, LongSupplier nanoTime) {
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be at least 1");
        this.maxKeys = maxKeys;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Counts one failure for each key; a key seen for the first time (or again after its window) starts a window. */
    public synchronized void recordFailure(String... keys) {
        long now = nanoTime.getAsLong();
        purgeExpired(now);
        for (String key : keys) {
            Window w = windows.get(key);
            if (w == null) {
                if (windows.size() >= maxKeys) {
                    Iterator<Window> oldest = windows.values().iterator();
                    oldest.next();
                    oldest.remove();
                }
                w = new Window(now + windowNanos);
                windows.put(key, w);
            }
            w.failures++;
        }
    }

    /**
     * Seconds until {@code key}'s window ends (at least 1) if it has {@code max} or more failures in it,
     * else 0.
     */
    public synchronized long lockedFor(String key, int max) {
        long now = nanoTime.getAsLong();
        Window w = windows.get(key);
        if (w == null || w.failures < max) return 0;
        long left = w.endsAt - now;
        if (left <= 0) {
            windows.remove(key);
            return 0;
        }
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    public synchronized void forget(String key) {
        windows.remove(key);
    }

    synchronized int size() {
        return windows.size();
    }

    public synchronized boolean isEmpty() {
        return windows.isEmpty();
    }

    private void purgeExpired(long now) {
        Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().endsAt - now > 0) return;
            it.remove();
        }
    }
}
