package dev.sluice.common;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every Redis key and channel Sluice uses starts with one prefix, so several deployments can share a server. */
@ApplicationScoped
public class RedisKeys {
    private final String prefix;

    public RedisKeys(@ConfigProperty(name = "app.redis.key-prefix", defaultValue = "sluice:") String prefix) {
        this.prefix = prefix;
    }

    public String key(String... parts) {
        return prefix + String.join(":", parts);
    }
}
