package dev.sluice.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.Json;
import dev.sluice.common.Text;
import dev.sluice.common.Times;
import dev.sluice.common.UuidV7;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Writes audit entries into the caller's transaction, so an entry exists exactly when its change
 * does. The actor and client come from the current request unless given.
 */
@ApplicationScoped
public class AuditLog {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private final AuditRepository entries;
    private final ObjectMapper json;
    private final CurrentVertxRequest request;
    private final JsonWebToken jwt;

    public AuditLog(AuditRepository entries, ObjectMapper json, CurrentVertxRequest request, JsonWebToken jwt) {
        this.entries = entries;
        this.json = json;
        this.request = request;
        this.jwt = jwt;
    }

    /** The caller of the current HTTP request; {@link Actor#SYSTEM} outside one. */
    public Actor currentActor() {
        if (!Arc.container().requestContext().isActive()) return Actor.SYSTEM;
        RoutingContext rc = request.getCurrent();
        return actor(jwt, rc == null ? null : rc.request());
    }

    /**
     * The caller of a request handled outside Quarkus REST (a raw Vert.x route), where the current
     * request and token beans are not set: from its verified token and its connection.
     */
    public static Actor actor(JsonWebToken token, HttpServerRequest request) {
        String ip = null, agent = null;
        if (request != null) {
            ip = request.remoteAddress() == null
                    ? null
                    : request.remoteAddress().hostAddress();
            agent = request.getHeader("User-Agent");
        }
        UUID id = null;
        String email = null;
        try {
            if (token != null && token.getSubject() != null) {
                id = UUID.fromString(token.getSubject());
                email = token.getName();
            }
        } catch (RuntimeException e) {
            // No token (anonymous) or a subject that isn't ours: no actor id.
        }
        return new Actor(id, email, ip, agent);
    }

    /** In the current Hibernate Reactive transaction, as the current caller. */
    public Uni<Void> record(String action, String entity, Object entityId, Object changes) {
        return record(currentActor(), action, entity, entityId, changes);
    }

    /** In the current Hibernate Reactive transaction. */
    public Uni<Void> record(Actor actor, String action, String entity, Object entityId, Object changes) {
        return entries.persist(entry(actor, action, entity, entityId, changes)).replaceWithVoid();
    }

    /** On a reactive SQL connection, inside its transaction. */
    public Uni<Void> record(SqlClient tx, Actor actor, String action, String entity, Object entityId, Object changes) {
        AuditEntry e = entry(actor, action, entity, entityId, changes);
        return tx.preparedQuery("""
                        insert into audit_log (id, at, actor_id, actor_email, action, entity, entity_id, changes, ip, user_agent)
                        values ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10)""")
                .execute(Tuple.tuple(Arrays.asList(
                        e.id,
                        e.at.atOffset(ZoneOffset.UTC),
                        e.actorId,
                        e.actorEmail,
                        e.action,
                        e.entity,
                        e.entityId,
                        e.changes,
                        e.ip,
                        e.userAgent)))
                .replaceWithVoid();
    }

    /** An object (a view record) as a field map, for {@link Changes#diff}. */
    public Map<String, Object> fields(Object view) {
        return view == null ? null : json.convertValue(view, MAP);
    }

    private AuditEntry entry(Actor actor, String action, String entity, Object entityId, Object changes) {
        AuditEntry e = new AuditEntry();
        e.id = UuidV7.next();
        e.at = Times.now();
        e.actorId = actor.id();
        e.actorEmail = Text.truncate(actor.email(), 254);
        e.action = action;
        e.entity = entity;
        e.entityId = entityId == null ? null : entityId.toString();
        e.changes = changes == null ? null : toJson(changes);
        e.ip = Text.truncate(actor.ip(), 64);
        e.userAgent = Text.truncate(actor.userAgent(), 512);
        return e;
    }

    private String toJson(Object o) {
        return o instanceof String s ? s : Json.write(json, o);
    }
}
