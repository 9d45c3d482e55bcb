package dev.sluice.webhook;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while a stored webhook secret can't be decrypted with the configured keys (a start with the
 * wrong APP_SECRETS_KEY): such an instance must not take traffic or deliveries. A failed check is
 * repeated on each probe, so restoring access (say, the row is fixed) needs no restart.
 */
@Readiness
@ApplicationScoped
public class WebhookSecretsHealth implements AsyncHealthCheck {
    private final WebhookSecrets secrets;

    public WebhookSecretsHealth(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        WebhookSecrets.State s = secrets.state();
        Uni<WebhookSecrets.State> state = s.ok() ? Uni.createFrom().item(s) : secrets.check();
        return state.map(st -> {
                    HealthCheckResponseBuilder b =
                            HealthCheckResponse.named("webhook-secrets").status(st.ok());
                    if (st.checkedAt() != null)
                        b.withData("checkedAt", st.checkedAt().toString());
                    if (!st.ok()) b.withData("error", String.valueOf(st.problem()));
                    return b.build();
                })
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named("webhook-secrets")
                        .down()
                        .withData("error", "could not read the stored secrets: " + e.getMessage())
                        .build());
    }
}
