package dev.sluice.audit;

import java.util.UUID;

/** Who did something and from where. {@code id} is null for the system or an unknown login email. */
public record Actor(UUID id, String email, String ip, String userAgent) {
    public static final Actor SYSTEM = new Actor(null, "system", null, null);

    public Actor withEmail(String e) {
        return new Actor(id, e, ip, userAgent);
    }
}
