package dev.sluice.auth.otp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Sign-in with a one-time code by email (app.otp.*). */
@ConfigMapping(prefix = "app.otp")
public interface OtpConfig {
    /** APP_OTP_ENABLED; unset means "on when a mail server is configured" (MAIL_HOST). */
    Optional<Boolean> enabled();

    /** How long a code is valid. */
    @WithDefault("5M")
    Duration ttl();

    /** No new code for the same email before this has passed since the last one. */
    @WithDefault("60s")
    Duration resendAfter();

    /** Codes sent to one email per hour, at most. */
    @WithDefault("10")
    int maxPerHour();

    /** Wrong codes before code sign-in is locked for that email. */
    @WithDefault("5")
    int maxAttempts();

    /** How long the lock lasts. */
    @WithDefault("30M")
    Duration lockout();

    /** Code requests plus wrong codes allowed per client IP within {@link #ipWindow()}. */
    @WithDefault("20")
    int maxPerIp();

    @WithDefault("15M")
    Duration ipWindow();

    /**
     * Every code request is answered no sooner than this after it arrived, so that an address with an
     * account (a mail is sent) and one without (none is) take the same time.
     */
    @WithDefault("1s")
    Duration responseTime();

    /** Longest wait for the mail server before a request gets 503. */
    @WithDefault("10s")
    Duration mailTimeout();

    /** MAIL_HOST: empty means no mail server is configured. */
    Optional<String> mailHost();

    /** MAIL_PORT, for the reachability check when no mail is sent. */
    @WithDefault("25")
    int mailPort();

    /** The product name in the message. */
    @WithDefault("Sluice")
    String productName();

    default boolean active() {
        return enabled().orElse(mailHost().filter(h -> !h.isBlank()).isPresent());
    }
}
