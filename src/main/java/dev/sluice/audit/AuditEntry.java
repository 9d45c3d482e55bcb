package dev.sluice.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(nullable = false)
    public Instant at;

    @Column(name = "actor_id")
    public UUID actorId;

    @Column(name = "actor_email", length = 254)
    public String actorEmail;

    @Column(nullable = false, length = 64)
    public String action;

    @Column(nullable = false, length = 32)
    public String entity;

    @Column(name = "entity_id", length = 64)
    public String entityId;

    /** JSON text: {field: {before, after}}, or a summary. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String changes;

    @Column(length = 64)
    public String ip;

    @Column(name = "user_agent", length = 512)
    public String userAgent;
}
