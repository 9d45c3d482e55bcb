package dev.sluice.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An endpoint as the API shows it. {@code enabled} says whether it is sent to; when it isn't although
 * {@code active}, {@code disabledReason} says why. The secret appears only in the create response.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(
        UUID id,
        String url,
        List<String> events,
        String description,
        boolean active,
        boolean enabled,
        String disabledReason,
        Instant disabledAt,
        Instant failingSince,
        Instant previousSecretExpiresAt,
        Instant createdAt,
        Instant updatedAt,
        Long version,
        String secret) {

    public static WebhookView of(WebhookEndpoint e) {
        String reason = e.disabledReason != null ? e.disabledReason : e.active ? null : "Switched off (active: false)";
        Instant previous = e.previousSecretExpiresAt != null && e.previousSecretExpiresAt.isAfter(Instant.now())
                ? e.previousSecretExpiresAt
                : null;
        return new WebhookView(
                e.id,
                e.url,
                List.of(e.events),
                e.description,
                e.active,
                e.enabled(),
                reason,
                e.disabledAt,
                e.failingSince,
                previous,
                e.createdAt,
                e.updatedAt,
                e.version,
                null);
    }

    WebhookView withSecret(String s) {
        return new WebhookView(
                id,
                url,
                events,
                description,
                active,
                enabled,
                disabledReason,
                disabledAt,
                failingSince,
                previousSecretExpiresAt,
                createdAt,
                updatedAt,
                version,
                s);
    }

    /** The answer to rotate-secret: the new secret, shown this once, and until when the old one still signs. */
    public record Rotated(UUID id, String secret, Instant previousSecretExpiresAt) {}
}
