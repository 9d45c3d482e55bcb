package dev.sluice.user;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

public record UserView(
        UUID id, String email, Set<String> roles, boolean active, Instant createdAt, Instant lastLoginAt) {
    public static UserView of(User u) {
        return new UserView(u.id, u.email, u.roleSet(), u.active, u.createdAt, u.lastLoginAt);
    }
}
