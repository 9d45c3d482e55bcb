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
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Brute-force limits: failed logins counted per email and per client IP in Redis, in a window that
 * starts at the first failure. Over the limit every attempt is refused with 429, even a correct one.
 *
 * <p>When a Redis call fails or takes longer than {@code app.auth.login-redis-timeout}, the same limits
 * are kept by a bounded per-instance {@link FallbackLimiter}, so an outage neither locks everyone out
 * nor lifts the limits. Once Redis answers again it counts new failures; what the fallback counted is
 * kept until its windows end (a lock earned during the outage lasts its full window), and is not copied
 * into Redis. The switch each way is logged once.
 */
@ApplicationScoped
public class LoginThrottle {
    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);
    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;
    private final RedisKeys names;
    private final AuthConfig config;
    private final FallbackLimiter fallback;
    private final AtomicBoolean degraded = new AtomicBoolean();

    public LoginThrottle(ReactiveRedisDataSource redis, RedisKeys names, AuthConfig config) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.names = names;
        this.config = config;
        this.fallback = new FallbackLimiter(config.loginFallbackMaxKeys(), config.failureWindow(), System::nanoTime);
    }

    public Uni<Void> check(String email, String ip) {
        String emailKey = emailKey(email), ipKey = ipKey(ip);
        return counters.mget(emailKey, ipKey)
                .flatMap(counts -> {
                    redisAnswered();
                    String locked = over(counts, emailKey, config.maxFailuresPerEmail())
                            ? emailKey
                            : over(counts, ipKey, config.maxFailuresPerIp()) ? ipKey : null;
                    if (locked == null) return Uni.createFrom().voidItem();
                    // Locked in Redis: refused even if the TTL can't be read, for the whole window then.
                    return keys.ttl(locked)
                            .onFailure()
                            .recoverWithItem(config.failureWindow().toSeconds())
                            .map(ttl -> {
                                throw tooMany(Math.max(1, ttl));
                            });
                })
                .ifNoItem()
                .after(config.loginRedisTimeout())
                .fail()
                .onFailure(e -> !(e instanceof ApiException))
                .recoverWithItem(e -> {
                    redisFailed(e);
                    return null;
                })
                // Locks counted in memory during an outage last out their window after it, too.
                .invoke(x -> checkFallback(emailKey, ipKey))
                .replaceWithVoid();
    }

    public Uni<Void> recordFailure(String email, String ip) {
        String emailKey = emailKey(email), ipKey = ipKey(ip);
        return Uni.join()
                .all(bump(emailKey), bump(ipKey))
                .andFailFast()
                .ifNoItem()
                .after(config.loginRedisTimeout())
                .fail()
                .invoke(x -> redisAnswered())
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    redisFailed(e);
                    fallback.recordFailure(emailKey, ipKey);
                    return null;
                });
    }

    public Uni<Void> recordSuccess(String email) {
        String emailKey = emailKey(email);
        fallback.forget(emailKey);
        return keys.del(emailKey)
                .ifNoItem()
                .after(config.loginRedisTimeout())
                .fail()
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    private void checkFallback(String emailKey, String ipKey) {
        if (fallback.isEmpty()) return;
        long retry = fallback.lockedFor(emailKey, config.maxFailuresPerEmail());
        if (retry == 0) retry = fallback.lockedFor(ipKey, config.maxFailuresPerIp());
        if (retry > 0) throw tooMany(retry);
    }

    private static ApiException tooMany(long retryAfterSeconds) {
        return new ApiException(
                429,
                "Too many failed logins",
                "Too many failed logins; try again in " + retryAfterSeconds + " seconds",
                null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    private void redisFailed(Throwable e) {
        if (degraded.compareAndSet(false, true))
            LOG.warnf(
                    "Login limits: Redis unreachable (%s); counting failed logins in this instance's memory until it answers again",
                    e.toString());
    }

    private void redisAnswered() {
        if (degraded.compareAndSet(true, false))
            LOG.info("Login limits: Redis answers again; failed logins are counted there");
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
