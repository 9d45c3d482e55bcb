package dev.sluice.history;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Whether changes are recorded. Retention is with the other clean-ups ({@code app.retention.product-history}). */
@ConfigMapping(prefix = "app.history")
public interface HistoryConfig {
    /**
     * Record every change (API writes, imports, undos, delete-all). Off, nothing is recorded: products
     * have no history and the jobs run while it is off can't be undone.
     */
    @WithDefault("true")
    boolean enabled();
}
