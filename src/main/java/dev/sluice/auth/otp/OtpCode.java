package dev.sluice.auth.otp;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/** The code state of one email address (see V9__otp.sql). */
@Entity
@Table(name = "otp_codes")
public class OtpCode extends PanacheEntityBase {
    @Id
    public String email;

    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "window_start")
    public Instant windowStart;

    @Column(name = "window_count", nullable = false)
    public int windowCount;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "locked_until")
    public Instant lockedUntil;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    boolean locked(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    /** Replaces any earlier code: only the newest one can be used. */
    void newCode(String hash, Instant now, Duration ttl) {
        codeHash = hash;
        expiresAt = now.plus(ttl);
        sentAt = now;
        windowCount++;
        attempts = 0;
    }

    void spend() {
        codeHash = null;
        expiresAt = null;
        attempts = 0;
    }
}
