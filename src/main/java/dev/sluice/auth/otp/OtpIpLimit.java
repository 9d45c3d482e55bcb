package dev.sluice.auth.otp;

import dev.sluice.common.ApiException;
import dev.sluice.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The per-IP limit on code sign-in, like the login's: code requests and wrong codes from one client IP
 * are counted in Redis, in a window that starts at the first one. If Redis is unreachable the limit is
 * skipped (logged): the per-email rules, kept in PostgreSQL, still cap what one address can be sent or tried.
 */
@ApplicationScoped
public class OtpIpLimit {
    private static final Logger LOG = Logger.getLogger(OtpIpLimit.class);
    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;
    private final RedisKeys names;
    private final OtpConfig config;

    public OtpIpLimit(ReactiveRedisDataSource redis, RedisKeys names, OtpConfig config) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.names = names;
        this.config = config;
    }

    /** Refuses with 429 when the IP is over its limit. */
    public Uni<Void> check(String ip) {
        String key = key(ip);
        return counters.get(key)
                .flatMap(n ->
                        n == null || n < config.maxPerIp() ? Uni.createFrom().voidItem() : refuse(key))
                .onFailure(e -> !(e instanceof ApiException))
                .recoverWithItem(e -> {
                    LOG.warnf("Sign-in code IP limit unavailable (Redis): %s", e.getMessage());
                    return null;
                });
    }

    /** Counts one code request or wrong code. */
    public Uni<Void> count(String ip) {
        String key = key(ip);
        return counters.incr(key)
                .flatMap(n -> n == 1
                        ? keys.pexpire(key, config.ipWindow())
                        : Uni.createFrom().item(true))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    private Uni<Void> refuse(String key) {
        return keys.pttl(key).map(ttl -> {
            long retry = Math.max(1, (ttl + 999) / 1000);
            throw new ApiException(
                            429,
                            "Too many requests",
                            "Too many sign-in code requests and attempts from your network; try again in "
                                    + OtpService.inWords(retry),
                            null,
                            Map.of("Retry-After", Long.toString(retry)))
                    .with("retryAfter", retry);
        });
    }

    private String key(String ip) {
        return names.key("auth", "otp-ip", ip == null ? "unknown" : ip);
    }
}
