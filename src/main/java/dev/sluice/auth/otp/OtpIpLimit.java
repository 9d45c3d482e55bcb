package dev.sluice.auth.otp;

import dev.sluice.auth.AuthConfig;
import dev.sluice.auth.FallbackLimiter;
import dev.sluice.common.ApiException;
import dev.sluice.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The per-IP limit on code sign-in, like the login's: code requests and wrong codes from one client IP
 * are counted in Redis, in a window that starts at the first one. When a Redis call fails or takes
 * longer than {@code app.auth.login-redis-timeout}, the same limit is kept by a per-instance
 * {@link FallbackLimiter} (as the login limits are), so an outage does not lift it; a lock counted in
 * memory lasts out its window after Redis answers again. The switch each way is logged once.
 */
@ApplicationScoped
public class OtpIpLimit {
    private static final Logger LOG = Logger.getLogger(OtpIpLimit.class);
    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;
    private final RedisKeys names;
    private final OtpConfig config;
    private final Duration redisTimeout;
    private final FallbackLimiter fallback;
    private final AtomicBoolean degraded = new AtomicBoolean();

    public OtpIpLimit(ReactiveRedisDataSource redis, RedisKeys names, OtpConfig config, AuthConfig auth) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.names = names;
        this.config = config;
        this.redisTimeout = auth.loginRedisTimeout();
        this.fallback = new FallbackLimiter(auth.loginFallbackMaxKeys(), config.ipWindow(), System::nanoTime);
    }

    /** Refuses with 429 when the IP is over its limit. */
    public Uni<Void> check(String ip) {
        String key = key(ip);
        return counters.get(key)
                .flatMap(n -> {
                    redisAnswered();
                    return n == null || n < config.maxPerIp() ? Uni.createFrom().voidItem() : refuse(key);
                })
                .ifNoItem()
                .after(redisTimeout)
                .fail()
                .onFailure(e -> !(e instanceof ApiException))
                .recoverWithItem(e -> {
                    redisFailed(e);
                    return null;
                })
                .invoke(x -> checkFallback(key))
                .replaceWithVoid();
    }

    /** Counts one code request or wrong code. */
    public Uni<Void> count(String ip) {
        String key = key(ip);
        return counters.incr(key)
                .flatMap(n -> n == 1
                        ? keys.pexpire(key, config.ipWindow())
                        : Uni.createFrom().item(true))
                .ifNoItem()
                .after(redisTimeout)
                .fail()
                .invoke(x -> redisAnswered())
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    redisFailed(e);
                    fallback.recordFailure(key);
                    return null;
                });
    }

    private void checkFallback(String key) {
        if (fallback.isEmpty()) return;
        long retry = fallback.lockedFor(key, config.maxPerIp());
        if (retry > 0) throw tooMany(retry);
    }

    private Uni<Void> refuse(String key) {
        return keys.pttl(key)
                .onFailure()
                .recoverWithItem(config.ipWindow().toMillis())
                .map(ttl -> {
                    throw tooMany(Math.max(1, (ttl + 999) / 1000));
                });
    }

    private static ApiException tooMany(long retry) {
        return new ApiException(
                        429,
                        "Too many requests",
                        "Too many sign-in code requests and attempts from your network; try again in "
                                + OtpService.inWords(retry),
                        null,
                        Map.of("Retry-After", Long.toString(retry)))
                .with("retryAfter", retry);
    }

    private void redisFailed(Throwable e) {
        if (degraded.compareAndSet(false, true))
            LOG.warnf(
                    "Sign-in code IP limit: Redis unreachable (%s); counting in this instance's memory until it answers again",
                    e.toString());
    }

    private void redisAnswered() {
        if (degraded.compareAndSet(true, false))
            LOG.info("Sign-in code IP limit: Redis answers again; requests are counted there");
    }

    private String key(String ip) {
        return names.key("auth", "otp-ip", ip == null ? "unknown" : ip);
    }
}
