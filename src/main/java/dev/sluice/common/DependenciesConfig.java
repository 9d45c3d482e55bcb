package dev.sluice.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How often this instance checks the services its background work needs (see {@link DependencyStatus}). */
@ConfigMapping(prefix = "app.dependencies")
public interface DependenciesConfig {
    /** Time between two checks of each dependency; a service that comes back is used again within this. */
    @WithDefault("2s")
    Duration checkInterval();

    /** A check that has not answered by then counts as down. */
    @WithDefault("3s")
    Duration checkTimeout();
}
