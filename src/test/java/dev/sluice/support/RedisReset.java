package dev.sluice.support;

import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/** Clears login-failure counters between tests (they all come from 127.0.0.1). */
@ApplicationScoped
public class RedisReset {
    private final RedisDataSource redis;

    public RedisReset(RedisDataSource redis) {
        this.redis = redis;
    }

    public void clearLoginFailures() {
        var keys = redis.key().keys("sluice:auth:fail:*");
        if (!keys.isEmpty()) redis.key().del(keys.toArray(String[]::new));
    }
}
