package dev.sluice.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/** An audit entry as GET /api/audit shows it; {@code changes} is the stored JSON. */
public record AuditView(
        UUID id,
        Instant at,
        UUID actorId,
        String actorEmail,
        String action,
        String entity,
        String entityId,
        @JsonRawValue String changes,
        String ip,
        String userAgent) {
    static AuditView of(AuditEntry e) {
        return new AuditView(
                e.id, e.at, e.actorId, e.actorEmail, e.action, e.entity, e.entityId, e.changes, e.ip, e.userAgent);
    }
}
