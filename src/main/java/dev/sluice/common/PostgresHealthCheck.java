package dev.sluice.common;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while PostgreSQL answers on the reactive pool: the same cached check the claimers
 * consult. It replaces the datasource extensions' own checks (quarkus.datasource.health.enabled): the
 * JDBC one would open the Flyway-only JDBC pool, with its driver and transaction manager, on every
 * probe.
 */
@Readiness
@ApplicationScoped
public class PostgresHealthCheck implements AsyncHealthCheck {
    private final DependencyStatus status;

    public PostgresHealthCheck(DependencyStatus status) {
        this.status = status;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return status.readiness(Dependency.POSTGRESQL, "postgresql").map(HealthCheckResponseBuilder::build);
    }
}
