package dev.sluice.common;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security headers on every response of the API (the web app's own come from quarkus.http.filter.webapp):
 * nosniff, so that no browser renders a JSON or CSV answer as HTML; no-store, so that neither a
 * browser's disk cache nor a shared proxy keeps tokens, products or audit entries (an ETag still
 * answers an explicit If-None-Match with 304); and HSTS once the request came over TLS, directly or,
 * with APP_TRUST_PROXY, as the proxy's X-Forwarded-Proto says (Quarkus applies it to the scheme).
 * A response that sets its own Cache-Control keeps it.
 */
@ApplicationScoped
public class SecurityHeaders {
    static final String HSTS = "max-age=31536000";

    void register(@Observes Router router) {
        router.route().order(-30).handler(this::add);
    }

    void add(RoutingContext ctx) {
        boolean api = ctx.request().path().startsWith("/api/");
        boolean tls = "https".equals(ctx.request().scheme());
        if (api || tls) {
            ctx.addHeadersEndHandler(v -> {
                MultiMap headers = ctx.response().headers();
                if (tls) headers.set("Strict-Transport-Security", HSTS);
                if (!api) return;
                if (!headers.contains("X-Content-Type-Options")) headers.set("X-Content-Type-Options", "nosniff");
                if (!headers.contains("Cache-Control")) headers.set("Cache-Control", "no-store");
            });
        }
        ctx.next();
    }
}
