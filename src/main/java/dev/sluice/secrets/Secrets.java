package dev.sluice.secrets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The application's {@link SecretBox}, from {@link SecretsConfig}; a start without a key fails here, clearly. */
@ApplicationScoped
public class Secrets {
    @Produces
    @Singleton
    SecretBox box(SecretsConfig config) {
        String key = config.key()
                .filter(k -> !k.isBlank())
                .orElseThrow(
                        () -> new IllegalStateException(
                                "APP_SECRETS_KEY is not set. It encrypts the webhook signing secrets stored in the database:"
                                        + " set it to <key id>:<base64 of 32 random bytes>, e.g."
                                        + " APP_SECRETS_KEY=\"$(date +%Y-%m):$(openssl rand -base64 32)\", and keep it in a"
                                        + " secret store (a Kubernetes Secret). Without the key the stored secrets can't be read."));
        return new SecretBox(key, config.previousKeys().orElse(List.of()));
    }
}
