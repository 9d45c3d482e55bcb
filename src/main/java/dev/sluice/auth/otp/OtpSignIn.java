package dev.sluice.auth.otp;

import dev.sluice.user.PasswordlessSignIn;
import jakarta.enterprise.context.ApplicationScoped;

/** Accounts may be created without a password exactly when code sign-in is on. */
@ApplicationScoped
public class OtpSignIn implements PasswordlessSignIn {
    private final OtpConfig config;

    public OtpSignIn(OtpConfig config) {
        this.config = config;
    }

    @Override
    public boolean available() {
        return config.active();
    }
}
