package dev.sluice.support;

import io.smallrye.jwt.build.Jwt;
import java.util.Set;
import java.util.UUID;

/** Access tokens signed with the test-only key, for tests that aren't about logging in. */
public final class TestTokens {
    private TestTokens() {}

    public static String forRoles(String... roles) {
        return Jwt.issuer("https://sluice.dev")
                .subject(UUID.randomUUID().toString())
                .upn("tester-" + String.join("-", roles).toLowerCase() + "@sluice.local")
                .groups(Set.of(roles))
                .claim("sid", UUID.randomUUID().toString())
                .expiresIn(600)
                .sign();
    }

    public static String admin() {
        return forRoles("ADMIN");
    }

    public static String editor() {
        return forRoles("EDITOR");
    }

    public static String viewer() {
        return forRoles("VIEWER");
    }
}
