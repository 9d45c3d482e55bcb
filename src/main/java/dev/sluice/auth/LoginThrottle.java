package dev.sluice.auth;

import dev.sluice.common.ApiException;
import dev.sluice.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Brute-force limits: failed logins counted per email and per client IP in Redis, in a window that
 * starts at the first failure. Over the limit every attempt is refused with 429, even a correct one.
 * If Redis is unreachable the check lets logins through (logged): an outage must not lock everyone out.
 */
@ApplicationScoped
public class LoginThrottle {
    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);
    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;
    private final RedisKeys names;
    private final AuthConfig config;

    public LoginThrottle(ReactiveRedisDataSource redis, RedisKeys names, AuthConfig config) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.names = names;
        this.config = config;
    }

    public Uni<Void> check(String email, String ip) {
        String emailKey = emailKey(email), ipKey = ipKey(ip);
        return counters.mget(emailKey, ipKey)
                .flatMap(counts -> {
                    String locked = over(counts, emailKey, config.maxFailuresPerEmail())
                            ? emailKey
                            : over(counts, ipKey, config.maxFailuresPerIp()) ? ipKey : null;
                    if (locked == null) return Uni.createFrom().voidItem();
                    return keys.ttl(locked).map(ttl -> {
                        long retry = Math.max(1, ttl);
                        throw new ApiException(
                                429,
                                "Too many failed logins",
                                "Too many failed logins; try again in " + retry + " seconds",
                                null,
                                Map.of("Retry-After", Long.toString(retry)));
                    });
                })
                .onFailure(e -> !(e instanceof ApiException))
                .recoverWithItem(e -> {
                    LOG.warnf("Login throttle unavailable (Redis): %s", e.getMessage());
                    return null;
                });
    }

    public Uni<Void> recordFailure(String email, String ip) {
        return Uni.join()
                .all(bump(emailKey(email)), bump(ipKey(ip)))
                .andCollectFailures()
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    public Uni<Void> recordSuccess(String email) {
        return keys.del(emailKey(email)).replaceWithVoid().onFailure().recoverWithNull();
    }

    private Uni<Void> bump(String key) {
        return counters.incr(key)
                .flatMap(n -> n == 1
                        ? keys.expire(key, config.failureWindow())
                        : Uni.createFrom().item(true))
                .replaceWithVoid();
    }

    private static boolean over(Map<String, Long> counts, String key, int max) {
        Long n = counts.get(key);
        return n != null && n >= max;
    }

    private String emailKey(String email) {
        return names.key(
                "auth", "fail", "email", email == null ? "" : email.strip().toLowerCase(Locale.ROOT));
    }

    private String ipKey(String ip) {
        return names.key("auth", "fail", "ip", ip == null ? "unknown" : ip);
    }
}
