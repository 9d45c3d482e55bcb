package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.common.Problem;
import dev.sluice.common.ProblemBodies;
import dev.sluice.progress.EventTokens;
import dev.sluice.security.Roles;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.UUID;

/**
 * GET /api/imports/{id}/events, the live progress stream (documented on ImportResource.events).
 * Served as a Vert.x route so that a watcher is its connection and a {@link Watcher}: the events are
 * encoded once per job and written as they are ({@link ImportEvents}), not pushed through a reactive
 * pipeline and a JSON encoding per client. Who may follow: a bearer token with a role, or an events
 * token for that very import (EventSource can't send headers), checked before the stream starts so
 * that a refusal is a real 401/403 problem rather than a broken stream.
 */
@ApplicationScoped
public class ImportEventsRoute {
    private static final String PATH = "/api/imports/:id/events";
    private static final Set<String> READERS = Set.of(Roles.VIEWER, Roles.EDITOR, Roles.ADMIN);
    /** Above this a Last-Event-ID is not one of ours (nor exact in JavaScript): ignored, like one that is no number. */
    static final long MAX_EVENT_ID = (1L << 53) - 1;

    private final ImportEvents events;
    private final EventTokens tokens;
    private final ProblemBodies problems;

    public ImportEventsRoute(ImportEvents events, EventTokens tokens, ProblemBodies problems) {
        this.events = events;
        this.tokens = tokens;
        this.problems = problems;
    }

    void register(@Observes Router router) {
        // Registered before Quarkus REST's routes, which never see a GET of this path.
        router.get(PATH).order(-10).handler(this::follow);
    }

    private void follow(RoutingContext ctx) {
        Context loop = VertxContext.getRootContext(Vertx.currentContext());
        String rawId = ctx.pathParam("id");
        UUID id = uuid(rawId);
        long lastEventId = lastEventId(ctx.request().getHeader("Last-Event-ID"));
        authorize(ctx, id, rawId)
                .subscribe()
                .with(
                        ok -> {
                            forgetCredentials(ctx);
                            loop.runOnContext(v -> events.watch(id, lastEventId, new Stream(ctx), loop));
                        },
                        e -> problem(ctx, e));
    }

    /**
     * A stream lives for minutes or hours, and with 50,000 of them what authenticating one took would
     * be a good part of the heap: the identity with its memoized lookups (and their captured
     * contexts), and the token's bytes among the request's headers, a few kilobytes a connection.
     * Nothing reads them after the check, so the connection keeps none of it.
     */
    private static void forgetCredentials(RoutingContext ctx) {
        ctx.clearUser();
        ctx.data().remove(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        ctx.request().headers().remove(HttpHeaders.AUTHORIZATION);
    }

    private Uni<Void> authorize(RoutingContext ctx, UUID id, String rawId) {
        String token = ctx.request().getParam("token");
        if (token != null && !token.isBlank()) {
            if (id == null) return Uni.createFrom().failure(ApiException.notFound("Import", rawId));
            return tokens.allows(token, id)
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom()
                            .failure(new ApiException(
                                    401, "Unauthorized", "The events token is invalid, expired or for another import"));
        }
        return QuarkusHttpUser.getSecurityIdentity(ctx, null).map(identity -> {
            if (identity == null || identity.isAnonymous()) throw new UnauthorizedException();
            if (identity.getRoles().stream().noneMatch(READERS::contains)) throw new ForbiddenException();
            if (id == null) throw ApiException.notFound("Import", rawId);
            return null;
        });
    }

    private static UUID uuid(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static long lastEventId(String header) {
        try {
            long id = header == null || header.isBlank() ? 0 : Long.parseLong(header.strip());
            return id < 0 || id > MAX_EVENT_ID ? 0 : id;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Answers with the problem ProblemMapper would render for the same failure, unless an answer has begun. */
    private void problem(RoutingContext ctx, Throwable e) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed() || response.headWritten()) return;
        ProblemBodies.Answer answer = problems.unexpected(e, ctx.request().path());
        answer.headers().forEach(response::putHeader);
        response.setStatusCode(answer.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(answer.body());
    }

    /** One watcher's response. Its head goes out with the first event, or alone if the client has that one. */
    private final class Stream implements EventSink {
        private final RoutingContext ctx;
        private final HttpServerResponse response;
        private boolean head;

        Stream(RoutingContext ctx) {
            this.ctx = ctx;
            this.response = ctx.response();
        }

        private void head() {
            if (head) return;
            head = true;
            response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream");
        }

        @Override
        public void open() {
            if (head) return;
            head();
            response.writeHead();
        }

        @Override
        public boolean writeQueueFull() {
            return response.writeQueueFull();
        }

        @Override
        public void send(Buffer frame) {
            head();
            response.write(frame, null);
        }

        @Override
        public void finish(Buffer frame) {
            head();
            response.end(frame, null);
        }

        @Override
        public void fail(Throwable e) {
            if (head) close();
            else problem(ctx, e);
        }

        @Override
        public void close() {
            if (!response.closed()) response.close();
        }

        @Override
        public boolean closed() {
            return response.closed();
        }

        @Override
        public void handlers(Runnable drained, Runnable gone) {
            response.drainHandler(v -> drained.run()).closeHandler(v -> gone.run());
        }
    }
}
