package dev.sluice.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "app.auth")
public interface AuthConfig {
    /** Access-token lifetime. */
    @WithDefault("15M")
    Duration accessTokenTtl();

    /** Refresh-token (and session) lifetime. */
    @WithDefault("30D")
    Duration refreshTokenTtl();

    /** Failed logins allowed per email within the window. */
    @WithDefault("5")
    int maxFailuresPerEmail();

    /** Failed logins allowed per client IP within the window. */
    @WithDefault("20")
    int maxFailuresPerIp();

    @WithDefault("15M")
    Duration failureWindow();

    /**
     * Failed-login counters (emails plus IPs) each instance keeps in memory while Redis is unreachable;
     * past this the oldest are dropped.
     */
    @WithDefault("10000")
    int loginFallbackMaxKeys();

    /** How long a login-limit call to Redis may take before the in-memory fallback answers instead. */
    @WithDefault("1s")
    Duration loginRedisTimeout();

    /** How often each instance pulls revoked sessions from Redis. */
    @WithDefault("500ms")
    Duration revocationSyncInterval();

    /**
     * Public keys (PEM locations) accepted beside the current one (JWT_ACCEPTED_PUBLIC_KEY_LOCATIONS):
     * previous keys until their last token expires, and the next key while a rotation rolls out.
     */
    Optional<List<String>> jwtAcceptedPublicKeys();

    Admin admin();

    interface Admin {
        /** The first ADMIN, created when no user exists (APP_ADMIN_EMAIL). */
        Optional<String> email();

        /** Its password (APP_ADMIN_PASSWORD). */
        Optional<String> password();
    }
}
