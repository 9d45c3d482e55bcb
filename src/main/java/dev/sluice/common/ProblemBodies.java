package dev.sluice.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

/**
 * Serialises problem details (with any extension members) and decides the answer to a failure, for
 * the REST mappers ({@link ProblemMapper}) and raw Vert.x routes alike, so both render an error the
 * same way.
 */
@ApplicationScoped
public class ProblemBodies {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private final ObjectMapper json;

    public ProblemBodies(ObjectMapper json) {
        this.json = json;
    }

    /** A rendered problem: the status, the headers that go with it (WWW-Authenticate, Retry-After, …) and the body. */
    public record Answer(int status, Map<String, String> headers, String body) {}

    public String render(Problem p, Map<String, Object> extensions) {
        try {
            if (extensions == null || extensions.isEmpty()) return json.writeValueAsString(p);
            ObjectNode node = json.valueToTree(p);
            extensions.forEach(node::putPOJO);
            return json.writeValueAsString(node);
        } catch (JsonProcessingException ex) {
            return "{\"title\":\"" + p.title() + "\",\"status\":" + p.status() + "}";
        }
    }

    public String render(ApiException e, String path) {
        return render(
                new Problem(
                        Problem.type(e.status()),
                        e.title(),
                        e.status(),
                        e.getMessage(),
                        path,
                        e.errors().isEmpty() ? null : e.errors()),
                e.extensions());
    }

    /** The answer to an {@link ApiException}: its status, body and headers. */
    public Answer answer(ApiException e, String path) {
        return new Answer(e.status(), e.headers(), render(e, path));
    }

    /** 401: no or no valid bearer token. */
    public Answer unauthenticated(String path) {
        return new Answer(
                401,
                Map.of("WWW-Authenticate", "Bearer"),
                render(
                        new Problem(
                                Problem.type(401), "Unauthorized", 401, "A valid bearer token is required", path, null),
                        null));
    }

    /** 403: a valid token whose role does not allow the action. */
    public Answer forbidden(String path) {
        return simple(403, "Forbidden", "Your role does not allow this action", path);
    }

    /** 409: an optimistic-lock conflict. */
    public Answer staleState(String path) {
        return simple(409, "Conflict", "The resource was changed by someone else; reload it and try again", path);
    }

    /**
     * The answer to any failure the more specific mappers don't know: a unique-key conflict, a stale
     * write, an {@link ApiException} somewhere in the cause chain, an unreachable backing service
     * (503), or else a bug: logged here with an id the client can quote, answered with a generic 500.
     */
    public Answer unexpected(Throwable e, String path) {
        switch (e) {
            case ApiException api -> {
                return answer(api, path);
            }
            case UnauthorizedException u -> {
                return unauthenticated(path);
            }
            case AuthenticationFailedException u -> {
                return unauthenticated(path);
            }
            case ForbiddenException f -> {
                return forbidden(path);
            }
            default -> {}
        }
        PgException pg = find(e, PgException.class);
        if (pg != null && "23505".equals(pg.getSqlState())) {
            return simple(409, "Conflict", "A resource with the same unique value already exists", path);
        }
        if (find(e, StaleStateException.class) != null) {
            return staleState(path);
        }
        if (find(e, ApiException.class) instanceof ApiException api) {
            return answer(api, path);
        }
        if (BackendFaults.unreachable(e)) {
            // PostgreSQL (or another backing service) is down: say so at once, and when to come back.
            LOG.warnf("Backing service unreachable on %s: %s", path, e.getMessage());
            return new Answer(
                    503,
                    Map.of("Retry-After", "5"),
                    render(
                            new Problem(
                                    Problem.type(503),
                                    "Service unavailable",
                                    503,
                                    "A backing service is unreachable; try again in a few seconds",
                                    path,
                                    null),
                            null));
        }
        String id = UuidV7.next().toString();
        LOG.errorf(e, "Unexpected error %s on %s", id, path);
        return simple(500, "Internal error", "Something went wrong on our side (error id " + id + ")", path);
    }

    private Answer simple(int status, String title, String detail, String path) {
        return new Answer(
                status, Map.of(), render(new Problem(Problem.type(status), title, status, detail, path, null), null));
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
            if (t.getCause() == t) break;
        }
        return null;
    }
}
