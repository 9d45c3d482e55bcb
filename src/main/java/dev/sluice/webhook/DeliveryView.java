package dev.sluice.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A delivery in the log: one event to one endpoint, with its latest attempt. {@code eventId} is the
 * {@code webhook-id} header the receiver saw. {@code attemptLog} is filled only for a single delivery.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(
        UUID id,
        String eventId,
        String eventType,
        String status,
        int attempt,
        Integer statusCode,
        Integer responseTimeMs,
        String error,
        Instant createdAt,
        Instant lastAttemptAt,
        Instant nextRetryAt,
        Instant completedAt,
        List<Attempt> attemptLog) {

    @RegisterForReflection
    public record Attempt(int attempt, Integer statusCode, Integer responseTimeMs, String error, Instant attemptedAt) {
        static Attempt of(DeliverySql.AttemptRow a) {
            return new Attempt(a.attempt(), a.statusCode(), a.responseMs(), a.error(), a.attemptedAt());
        }
    }

    static DeliveryView of(DeliverySql.DeliveryRow d, List<DeliverySql.AttemptRow> attempts) {
        return new DeliveryView(
                d.id(),
                WebhookSigner.messageId(d.eventId()),
                d.eventType(),
                d.status(),
                d.attempts(),
                d.lastStatusCode(),
                d.lastResponseMs(),
                d.lastError(),
                d.createdAt(),
                d.lastAttemptAt(),
                d.nextAttemptAt(),
                d.completedAt(),
                attempts == null ? null : attempts.stream().map(Attempt::of).toList());
    }

    /** The result of an attempt made on request (test, replay). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptResult(
            UUID deliveryId,
            String eventId,
            String eventType,
            int attempt,
            boolean success,
            Integer statusCode,
            Integer responseTimeMs,
            String error,
            String status,
            Instant nextRetryAt) {}
}
