package dev.sluice.common;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;

/**
 * Runs CPU-heavy or blocking work (bcrypt, signing) on the worker pool and resumes on the caller's
 * Vert.x context, so a reactive Hibernate session used before and after stays on its own thread.
 */
@ApplicationScoped
public class Workers {
    private final Vertx vertx;

    public Workers(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> call(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
