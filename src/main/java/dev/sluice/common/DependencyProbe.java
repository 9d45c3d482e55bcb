package dev.sluice.common;

import io.smallrye.mutiny.Uni;

/** One cheap request that succeeds only while a dependency answers (one per dependency). */
public interface DependencyProbe {
    Dependency dependency();

    /** Completes when the dependency answered; fails with why it didn't. Must not block. */
    Uni<Void> probe();
}
