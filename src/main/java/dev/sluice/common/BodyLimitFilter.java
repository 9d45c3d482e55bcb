package dev.sluice.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a declared-too-large request body with a 413 problem before reading any of it. Vert.x
 * would refuse it anyway, but with an empty body; clients get the same problem+json as for every
 * other 4xx. CSV uploads are streamed and limited by the import endpoints themselves.
 */
@ApplicationScoped
public class BodyLimitFilter {
    private final ProblemBodies problems;
    private final long max;

    public BodyLimitFilter(
            ProblemBodies problems, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
        this.problems = problems;
        this.max = max.asLongValue();
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(-20).handler(this::check);
    }

    void check(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        String type = ctx.request().getHeader("Content-Type");
        boolean streamed = type != null
                && (type.startsWith("text/")
                        || type.startsWith("multipart/")
                        || type.startsWith("application/csv")
                        || type.startsWith("application/octet-stream"));
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        if (streamed || declared <= max) {
            ctx.next();
            return;
        }
        ApiException e = new ApiException(
                413,
                "Request body too large",
                "The body is " + declared + " bytes; JSON bodies may be at most " + max + " bytes");
        ctx.response()
                .setStatusCode(413)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(problems.render(e, ctx.request().path()));
    }
}
