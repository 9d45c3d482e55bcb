package dev.sluice.auth.otp;

import dev.sluice.user.PasswordlessSignIn;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Accounts may be created without a password exactly when code sign-in is on. */
@ApplicationScoped
public class OtpSignIn implements PasswordlessSignIn {
    private static final Logger LOG = Logger.getLogger(OtpSignIn.class);
    private final OtpConfig config;

    public OtpSignIn(OtpConfig config) {
        this.config = config;
    }

    @Override
    public boolean available() {
        return config.active();
    }

    /** Says at start-up whether codes are offered, and where they go: "why can't I get a code" starts here. */
    void report(@Observes StartupEvent ev) {
        String host = config.mailHost().filter(h -> !h.isBlank()).orElse(null);
        if (!config.active()) {
            LOG.infof(
                    "Sign-in with a code by email is off (%s)",
                    host == null ? "no MAIL_HOST" : "APP_OTP_ENABLED=false");
        } else if (host == null) {
            LOG.warnf(
                    "Sign-in with a code by email is on (APP_OTP_ENABLED) but MAIL_HOST is not set: codes go to localhost:%d",
                    config.mailPort());
        } else {
            LOG.infof("Sign-in with a code by email is on: mail via %s:%d", host, config.mailPort());
        }
    }
}
