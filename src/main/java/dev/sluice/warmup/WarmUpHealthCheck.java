package dev.sluice.warmup;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the warm-up runs: the load balancer sends traffic only once the hot paths are compiled. */
@Readiness
@ApplicationScoped
public class WarmUpHealthCheck implements HealthCheck {
    private final WarmUp warmUp;

    public WarmUpHealthCheck(WarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public HealthCheckResponse call() {
        WarmUp.Outcome o = warmUp.outcome();
        return HealthCheckResponse.named("warm-up")
                .status(o.done())
                .withData("state", o.state())
                .withData("requests", o.requests())
                .withData("answered2xx", o.answered())
                .build();
    }
}
