package dev.sluice.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.Json;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Writes webhook events into the caller's transaction (the {@code webhook_enqueue} SQL function does
 * the fan-out to subscribed endpoints and wakes the dispatchers at commit). Never call it outside a
 * transaction that also makes the change: that pairing is the whole point of the outbox.
 */
@ApplicationScoped
public class WebhookOutbox {
    private final ObjectMapper json;

    public WebhookOutbox(ObjectMapper json) {
        this.json = json;
    }

    /** In the current Hibernate Reactive transaction (Panache services under {@code @WithTransaction}). */
    public Uni<Integer> enqueue(String type, Object data) {
        String payload = toJson(data);
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery(
                                "select webhook_enqueue(:type, cast(cast(:data as text) as jsonb))", Integer.class)
                        .setParameter("type", type)
                        .setParameter("data", payload)
                        .getSingleResult());
    }

    /** On a reactive SQL connection, inside the transaction it is running. */
    public Uni<Integer> enqueue(SqlClient tx, String type, Object data) {
        return tx.preparedQuery("select webhook_enqueue($1, $2::text::jsonb)")
                .execute(Tuple.of(type, toJson(data)))
                .map(rs -> rs.iterator().next().getInteger(0));
    }

    /** An import event carrying the job's summary as the database has it now. */
    public Uni<Integer> enqueueImport(SqlClient tx, String type, UUID jobId) {
        return tx.preparedQuery("select webhook_enqueue($1, import_job_summary($2))")
                .execute(Tuple.of(type, jobId))
                .map(rs -> rs.iterator().next().getInteger(0));
    }

    private String toJson(Object data) {
        return Json.write(json, data);
    }
}
