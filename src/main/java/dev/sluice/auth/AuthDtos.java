package dev.sluice.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Request and response bodies of /api/auth. */
public final class AuthDtos {
    private AuthDtos() {}

    public record LoginRequest(
            @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 1024) String password) {}

    public record RefreshRequest(@NotBlank @Size(max = 256) String refreshToken) {}

    public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken) {}

    public record Me(UUID id, String email, Set<String> roles) {}

    public record SessionView(
            UUID id,
            Instant createdAt,
            Instant lastUsedAt,
            Instant expiresAt,
            String ip,
            String userAgent,
            boolean current) {}

    /** Who is calling, for the session list. */
    public record Client(String ip, String userAgent) {}
}
