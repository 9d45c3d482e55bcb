package dev.sluice.secrets;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * The key-encryption keys that seal secrets stored in the database (webhook signing secrets). Each key
 * is {@code <kid>:<base64 of 32 random bytes>} (AES-256), e.g. {@code 2026-07:q3J…=}; generate one with
 * {@code echo "$(date +%Y-%m):$(openssl rand -base64 32)"}.
 */
@ConfigMapping(prefix = "app.secrets")
public interface SecretsConfig {
    /** The current key (APP_SECRETS_KEY): seals every new value. Required in prod. */
    Optional<String> key();

    /** Keys that still open values sealed before a rotation (APP_SECRETS_PREVIOUS_KEYS, comma-separated). */
    Optional<List<String>> previousKeys();
}
