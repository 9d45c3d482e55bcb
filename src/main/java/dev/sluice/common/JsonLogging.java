package dev.sluice.common;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Handler;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.OutputStreamHandler;

/**
 * Switches console (and file) logging to {@link JsonLogFormatter} when {@code app.log.json} is on (prod default).
 * quarkus-logging-json is not available at our platform version, so the formatter is set on the
 * JBoss LogManager's console handlers as soon as the application starts.
 */
@ApplicationScoped
public class JsonLogging {
    void install(
            @Observes @Priority(-20) StartupEvent ev,
            @ConfigProperty(name = "app.log.json", defaultValue = "false") boolean json) {
        if (!json) return;
        JsonLogFormatter formatter = new JsonLogFormatter();
        for (Handler h : LogContext.getLogContext().getLogger("").getHandlers()) apply(h, formatter);
    }

    private static void apply(Handler h, JsonLogFormatter formatter) {
        // Console and file handlers (both write streams); syslog and socket keep their own formats.
        if (h instanceof OutputStreamHandler) h.setFormatter(formatter);
        if (h instanceof ExtHandler ext) for (Handler child : ext.getHandlers()) apply(child, formatter);
    }
}
