package dev.sluice.webhook;

import dev.sluice.common.Text;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The dispatcher's SQL: claiming due deliveries under a lease (so a crashed sender only delays
 * them), recording attempts, and keeping endpoint health. Set-based and fenced by the lease owner.
 */
@ApplicationScoped
public class DeliverySql {
    private final Pool pool;

    public DeliverySql(Pool pool) {
        this.pool = pool;
    }

    /** A delivery claimed for sending, with what the request needs. */
    public record Due(
            UUID id,
            UUID eventId,
            UUID endpointId,
            String type,
            String status,
            int attempts,
            String payload,
            String url,
            List<String> secrets) {}

    private static final String DUE_COLUMNS = """
            u.id, u.event_id, u.endpoint_id, u.event_type, u.status, u.attempts, ev.payload::text as payload, e.url,
            e.secret, case when e.previous_secret_expires_at > now() then e.previous_secret end as previous_secret""";

    /**
     * Claims up to {@code limit} due deliveries of enabled endpoints, at most {@code perEndpoint} in
     * flight per endpoint counting those other instances hold. Racing claimers can't take the same row:
     * the update re-checks the lock on the row version it finally writes.
     */
    public Uni<List<Due>> claim(String owner, int limit, int perEndpoint, Duration lease) {
        return pool.preparedQuery("""
                        with inflight as (
                            select endpoint_id, count(*) as n from webhook_deliveries
                            where status = 'pending' and locked_until > now() group by endpoint_id
                        ), due as (
                            select d.id, d.next_attempt_at,
                                   row_number() over (partition by d.endpoint_id order by d.next_attempt_at, d.id)
                                       + coalesce(i.n, 0) as slot
                            from webhook_deliveries d
                            join webhook_endpoints e on e.id = d.endpoint_id and e.active and e.disabled_at is null
                            left join inflight i on i.endpoint_id = d.endpoint_id
                            where d.status = 'pending' and d.next_attempt_at <= now()
                              and (d.locked_until is null or d.locked_until < now())
                        ), picked as (
                            select id from due where slot <= $3 order by next_attempt_at limit $2
                        ), u as (
                            update webhook_deliveries d set locked_by = $1, locked_until = now() + $4 * interval '1 millisecond'
                            from picked where d.id = picked.id and d.status = 'pending'
                              and (d.locked_until is null or d.locked_until < now())
                            returning d.*
                        )
                        select %s from u join webhook_events ev on ev.id = u.event_id join webhook_endpoints e on e.id = u.endpoint_id
                        """.formatted(DUE_COLUMNS))
                .execute(Tuple.of(owner, limit, perEndpoint, lease.toMillis()))
                .map(DeliverySql::dues);
    }

    /**
     * Claims one delivery of one endpoint whatever its state (a replay, or a test just created and
     * already held by {@code owner}). Null when it exists but another sender holds it.
     */
    public Uni<Due> claimOne(UUID endpointId, UUID deliveryId, String owner, Duration lease) {
        return pool.preparedQuery("""
                        with u as (
                            update webhook_deliveries d set locked_by = $3, locked_until = now() + $4 * interval '1 millisecond'
                            where d.id = $2 and d.endpoint_id = $1
                              and (d.locked_until is null or d.locked_until < now() or d.locked_by = $3)
                            returning d.*
                        )
                        select %s from u join webhook_events ev on ev.id = u.event_id join webhook_endpoints e on e.id = u.endpoint_id
                        """.formatted(DUE_COLUMNS))
                .execute(Tuple.of(endpointId, deliveryId, owner, lease.toMillis()))
                .map(rs -> {
                    List<Due> d = dues(rs);
                    return d.isEmpty() ? null : d.getFirst();
                });
    }

    /** Writes a {@code test} event with one delivery, to this endpoint only, already claimed by {@code owner}. */
    public Uni<UUID> createTest(UUID endpointId, String dataJson, String owner, Duration lease) {
        return pool.preparedQuery("""
                        with ev as (
                            insert into webhook_events (id, type, payload)
                            values (gen_random_uuid(), 'test', jsonb_build_object('type', 'test',
                                'timestamp', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                'data', $2::text::jsonb))
                            returning id
                        )
                        insert into webhook_deliveries (id, event_id, endpoint_id, event_type, locked_by, locked_until)
                        select gen_random_uuid(), ev.id, $1, 'test', $3, now() + $4 * interval '1 millisecond' from ev
                        returning id""")
                .execute(Tuple.of(endpointId, dataJson, owner, lease.toMillis()))
                .map(rs -> rs.iterator().next().getUUID("id"));
    }

    /** How an attempt ended and what follows: {@code status} pending with {@code nextAttemptAt}, succeeded or failed. */
    public record Outcome(
            String status,
            Instant nextAttemptAt,
            Integer statusCode,
            int responseMs,
            String error,
            Instant attemptedAt,
            boolean success,
            boolean gone,
            boolean affectsEndpoint) {}

    /**
     * Records an attempt, releases the lease, and updates the endpoint's health. Returns the attempt
     * number, or null when the lease was lost meanwhile (the delivery is not touched).
     */
    public Uni<Integer> record(Due d, String owner, Outcome o, Duration disableAfter) {
        // The endpoint row first, then the delivery: the order in which deleting an endpoint locks them
        // (its deliveries go by cascade), so the two can't deadlock.
        return pool.withTransaction(tx -> health(tx, d, o, disableAfter)
                .flatMap(x -> tx.preparedQuery("""
                                update webhook_deliveries set attempts = attempts + 1, status = $3::text,
                                    next_attempt_at = coalesce($4, next_attempt_at), last_status_code = $5,
                                    last_response_ms = $6, last_error = $7, last_attempt_at = $8,
                                    locked_by = null, locked_until = null,
                                    completed_at = case when $3::text = 'pending' then null else now() end
                                where id = $1 and locked_by = $2 returning attempts""")
                        .execute(Tuple.tuple(Arrays.asList(
                                d.id(),
                                owner,
                                o.status(),
                                offset(o.nextAttemptAt()),
                                o.statusCode(),
                                o.responseMs(),
                                Text.truncate(o.error(), 1000, "..."),
                                offset(o.attemptedAt())))))
                .flatMap(rs -> {
                    if (rs.rowCount() == 0) return Uni.createFrom().<Integer>nullItem();
                    int attempt = rs.iterator().next().getInteger(0);
                    return tx.preparedQuery("""
                                    insert into webhook_attempts (delivery_id, attempt, status_code, response_ms, error, attempted_at)
                                    values ($1, $2, $3, $4, $5, $6)""")
                            .execute(Tuple.tuple(Arrays.asList(
                                    d.id(),
                                    attempt,
                                    o.statusCode(),
                                    o.responseMs(),
                                    Text.truncate(o.error(), 1000, "..."),
                                    offset(o.attemptedAt()))))
                            .replaceWith(attempt);
                }));
    }

    /** A success clears the endpoint's failure streak; 410 Gone, or a streak over {@code disableAfter}, disables it. */
    private Uni<Void> health(SqlConnection tx, Due d, Outcome o, Duration disableAfter) {
        if (!o.affectsEndpoint()) return Uni.createFrom().voidItem();
        return tx.preparedQuery("""
                        update webhook_endpoints set
                            failing_since = case when $2 then null else coalesce(failing_since, $3) end,
                            disabled_reason = case
                                when disabled_at is not null or $2 then disabled_reason
                                when $4 then 'The receiver answered 410 Gone: it no longer wants these events'
                                when coalesce(failing_since, $3) <= now() - $5 * interval '1 millisecond'
                                    then 'Every delivery has failed since ' || to_char(coalesce(failing_since, $3) at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
                                else disabled_reason end,
                            disabled_at = case
                                when disabled_at is not null or $2 then disabled_at
                                when $4 or coalesce(failing_since, $3) <= now() - $5 * interval '1 millisecond' then now()
                                else disabled_at end
                        where id = $1""")
                .execute(Tuple.of(
                        d.endpointId(), o.success(), offset(o.attemptedAt()), o.gone(), disableAfter.toMillis()))
                .replaceWithVoid();
    }

    /** A delivery as the log shows it. */
    public record DeliveryRow(
            UUID id,
            UUID eventId,
            String eventType,
            String status,
            int attempts,
            Integer lastStatusCode,
            Integer lastResponseMs,
            String lastError,
            Instant createdAt,
            Instant lastAttemptAt,
            Instant nextAttemptAt,
            Instant completedAt) {}

    public Uni<List<DeliveryRow>> page(UUID endpointId, String status, int page, int size) {
        return pool.preparedQuery("""
                        select * from webhook_deliveries where endpoint_id = $1 and ($2::text is null or status = $2)
                        order by created_at desc, id desc limit $3 offset $4""")
                .execute(Tuple.of(endpointId, status, size, (long) page * size))
                .map(rs -> {
                    List<DeliveryRow> out = new ArrayList<>();
                    rs.forEach(r -> out.add(delivery(r)));
                    return out;
                });
    }

    public Uni<Long> count(UUID endpointId, String status) {
        return pool.preparedQuery(
                        "select count(*) from webhook_deliveries where endpoint_id = $1 and ($2::text is null or status = $2)")
                .execute(Tuple.of(endpointId, status))
                .map(rs -> rs.iterator().next().getLong(0));
    }

    public Uni<DeliveryRow> find(UUID endpointId, UUID deliveryId) {
        return pool.preparedQuery("select * from webhook_deliveries where id = $2 and endpoint_id = $1")
                .execute(Tuple.of(endpointId, deliveryId))
                .map(rs -> rs.rowCount() == 0 ? null : delivery(rs.iterator().next()));
    }

    /** One attempt as the log shows it. */
    public record AttemptRow(int attempt, Integer statusCode, Integer responseMs, String error, Instant attemptedAt) {}

    public Uni<List<AttemptRow>> attempts(UUID deliveryId) {
        return pool.preparedQuery("select * from webhook_attempts where delivery_id = $1 order by attempt")
                .execute(Tuple.of(deliveryId))
                .map(rs -> {
                    List<AttemptRow> out = new ArrayList<>();
                    rs.forEach(r -> out.add(new AttemptRow(
                            r.getInteger("attempt"),
                            r.getInteger("status_code"),
                            r.getInteger("response_ms"),
                            r.getString("error"),
                            instant(r, "attempted_at"))));
                    return out;
                });
    }

    private static DeliveryRow delivery(Row r) {
        return new DeliveryRow(
                r.getUUID("id"),
                r.getUUID("event_id"),
                r.getString("event_type"),
                r.getString("status"),
                r.getInteger("attempts"),
                r.getInteger("last_status_code"),
                r.getInteger("last_response_ms"),
                r.getString("last_error"),
                instant(r, "created_at"),
                instant(r, "last_attempt_at"),
                "pending".equals(r.getString("status")) ? instant(r, "next_attempt_at") : null,
                instant(r, "completed_at"));
    }

    private static List<Due> dues(RowSet<Row> rs) {
        List<Due> out = new ArrayList<>();
        for (Row r : rs) {
            List<String> secrets = new ArrayList<>(2);
            secrets.add(r.getString("secret"));
            if (r.getString("previous_secret") != null) secrets.add(r.getString("previous_secret"));
            out.add(new Due(
                    r.getUUID("id"),
                    r.getUUID("event_id"),
                    r.getUUID("endpoint_id"),
                    r.getString("event_type"),
                    r.getString("status"),
                    r.getInteger("attempts"),
                    r.getString("payload"),
                    r.getString("url"),
                    secrets));
        }
        return out;
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime offset(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
