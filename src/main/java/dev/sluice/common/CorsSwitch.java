package dev.sluice.common;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns Quarkus's CORS filter on only when APP_CORS_ORIGINS lists origins. With the filter on and no
 * origin listed, Quarkus compares every Origin header with the request's own scheme and host and
 * refuses a mismatch with 403: behind a TLS-terminating proxy that is not trusted (APP_TRUST_PROXY)
 * the web app's own POSTs would be refused. Off, browsers keep to the same-origin policy by
 * themselves, since no response carries Access-Control-Allow-Origin. An explicit
 * QUARKUS_HTTP_CORS_ENABLED (environment, ordinal 300) still wins over this source (ordinal 260).
 */
public class CorsSwitch implements ConfigSourceFactory {
    static final String ENABLED = "quarkus.http.cors.enabled";
    static final String ORIGINS = "quarkus.http.cors.origins";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue origins = context.getValue(ORIGINS);
        boolean listed = origins != null
                && origins.getValue() != null
                && !origins.getValue().isBlank();
        if (!listed) return List.of();
        return List.of(new PropertiesConfigSource(Map.of(ENABLED, "true"), "sluice-cors-switch", 260));
    }
}
