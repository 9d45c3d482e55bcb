package dev.sluice.user;

import dev.sluice.common.Times;
import dev.sluice.security.Roles;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(nullable = false)
    public String email;

    /** Null for an account that signs in only with a code by email. */
    @Column(name = "password_hash")
    public String passwordHash;

    /** Comma-separated; see {@link #roleSet()}. */
    @Column(nullable = false)
    public String roles;

    @Column(nullable = false)
    public boolean active = true;

    @Version
    public Long version;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "last_login_at")
    public Instant lastLoginAt;

    @PrePersist
    void onCreate() {
        createdAt = Times.now();
    }

    public Set<String> roleSet() {
        return Arrays.stream(roles.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public void roleSet(Set<String> set) {
        roles = String.join(",", new TreeSet<>(set));
    }

    public boolean isAdmin() {
        return roleSet().contains(Roles.ADMIN);
    }
}
