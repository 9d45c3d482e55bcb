package dev.sluice.webhook;

import dev.sluice.common.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "webhook_endpoints")
public class WebhookEndpoint extends VersionedEntity {
    @Id
    public UUID id;

    @Column(nullable = false, length = 2048)
    public String url;

    @Column(nullable = false, columnDefinition = "text[]")
    public String[] events;

    @Column(nullable = false)
    public boolean active = true;

    @Column(length = 500)
    public String description;

    @Column(nullable = false)
    public String secret;

    @Column(name = "previous_secret")
    public String previousSecret;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(name = "disabled_at")
    public Instant disabledAt;

    @Column(name = "disabled_reason", length = 500)
    public String disabledReason;

    @Column(name = "failing_since")
    public Instant failingSince;

    /** Sending: switched on by the admin and not disabled by the dispatcher. */
    public boolean enabled() {
        return active && disabledAt == null;
    }

    void apply(WebhookInput in) {
        url = in.url().strip();
        events = in.events().stream().map(String::strip).distinct().toArray(String[]::new);
        // Switching an endpoint (back) on clears what disabled it: the admin has looked at it.
        if (in.activeOrDefault() && (!active || disabledAt != null)) {
            disabledAt = null;
            disabledReason = null;
            failingSince = null;
        }
        active = in.activeOrDefault();
        description = in.description() == null || in.description().isBlank()
                ? null
                : in.description().strip();
    }
}
