package dev.sluice.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The password-hashing half of the {@code app.auth} settings. It lives here, not in the auth
 * package's AuthConfig, so that users can be created (and their passwords hashed) without
 * depending on auth; the property keeps its name, app.auth.bcrypt-cost.
 */
@ConfigMapping(prefix = "app.auth")
public interface PasswordConfig {
    /** bcrypt cost factor for new password hashes. */
    @WithDefault("10")
    int bcryptCost();
}
