package dev.sluice.auth;

import static dev.sluice.support.Api.ADMIN_EMAIL;
import static dev.sluice.support.Api.ADMIN_PASSWORD;
import static dev.sluice.support.Api.as;
import static dev.sluice.support.Api.json;
import static dev.sluice.support.Api.login;
import static dev.sluice.support.Api.newUser;
import static dev.sluice.support.Api.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.sluice.support.Await;
import dev.sluice.support.RedisReset;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthResourceTests {
    private static final String PROBLEM = "application/problem+json";

    @Inject
    RedisReset redis;

    @BeforeEach
    void resetThrottle() {
        redis.clearLoginFailures();
    }

    /** Revocations reach other replicas through Redis within 1 s; locally they are immediate. */
    private static void assertRefusedWithinOneSecond(String accessToken) throws InterruptedException {
        int status = Await.value(
                "the token is refused (it was still accepted)",
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                () -> as(accessToken).get("/api/auth/me").statusCode(),
                s -> s == 401);
        assertThat(status).as("token still accepted after 1 s").isEqualTo(401);
    }

    @Test
    void loginReturnsBearerTokensAndMeShowsTheUser() {
        Map<String, Object> t = tokens(ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(t.get("tokenType")).isEqualTo("Bearer");
        assertThat(t.get("expiresIn")).isEqualTo(900);
        assertThat((String) t.get("refreshToken")).hasSizeGreaterThan(40);
        as((String) t.get("accessToken"))
                .get("/api/auth/me")
                .then()
                .statusCode(200)
                .body("email", equalTo(ADMIN_EMAIL), "roles", hasItem("ADMIN"), "id", notNullValue());
    }

    @Test
    void emailIsCaseInsensitiveAtLogin() {
        login(ADMIN_EMAIL.toUpperCase(), ADMIN_PASSWORD).then().statusCode(200);
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        var a = login(ADMIN_EMAIL, "wrong")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .extract()
                .path("detail");
        var b = login("nobody@example.com", "wrong")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .extract()
                .path("detail");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void refreshRotatesAndTheOldRefreshTokenStopsWorking() {
        Map<String, Object> first = tokens(ADMIN_EMAIL, ADMIN_PASSWORD);
        Map<String, Object> second = json().body(Map.of("refreshToken", first.get("refreshToken")))
                .post("/api/auth/refresh")
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        assertThat(second.get("refreshToken")).isNotEqualTo(first.get("refreshToken"));
        as((String) second.get("accessToken")).get("/api/auth/me").then().statusCode(200);
        json().body(Map.of("refreshToken", "garbage"))
                .post("/api/auth/refresh")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
    }

    @Test
    void reusingARotatedRefreshTokenEndsTheWholeSession() throws Exception {
        Map<String, Object> first = tokens(ADMIN_EMAIL, ADMIN_PASSWORD);
        Map<String, Object> second = json().body(Map.of("refreshToken", first.get("refreshToken")))
                .post("/api/auth/refresh")
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        // The thief (or the victim) presents the already-rotated token.
        json().body(Map.of("refreshToken", first.get("refreshToken")))
                .post("/api/auth/refresh")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        // Now nothing from that session works any more.
        json().body(Map.of("refreshToken", second.get("refreshToken")))
                .post("/api/auth/refresh")
                .then()
                .statusCode(401);
        assertRefusedWithinOneSecond((String) second.get("accessToken"));
        assertRefusedWithinOneSecond((String) first.get("accessToken"));
    }

    @Test
    void logoutEndsTheCurrentSessionOnly() throws Exception {
        var user = newUser("VIEWER");
        String a = (String) tokens(user.get("email"), user.get("password")).get("accessToken");
        String b = (String) tokens(user.get("email"), user.get("password")).get("accessToken");
        as(a).post("/api/auth/logout").then().statusCode(204);
        assertRefusedWithinOneSecond(a);
        as(b).get("/api/auth/me").then().statusCode(200);
    }

    @Test
    void logoutAllEndsEverySessionOfTheUser() throws Exception {
        var user = newUser("EDITOR");
        Map<String, Object> a = tokens(user.get("email"), user.get("password"));
        String b = (String) tokens(user.get("email"), user.get("password")).get("accessToken");
        as(b).post("/api/auth/logout-all").then().statusCode(204);
        assertRefusedWithinOneSecond((String) a.get("accessToken"));
        assertRefusedWithinOneSecond(b);
        json().body(Map.of("refreshToken", a.get("refreshToken")))
                .post("/api/auth/refresh")
                .then()
                .statusCode(401);
    }

    @Test
    void sessionsAreListedAndOneCanBeRevoked() throws Exception {
        var user = newUser("VIEWER");
        String a = (String) tokens(user.get("email"), user.get("password")).get("accessToken");
        String b = json().header("User-Agent", "phone-app/1.0")
                .body(Map.of("email", user.get("email"), "password", user.get("password")))
                .post("/api/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        List<Map<String, Object>> sessions = as(a).get("/api/auth/sessions")
                .then()
                .statusCode(200)
                .body("size()", equalTo(2), "userAgent", hasItem("phone-app/1.0"), "ip", hasItem("127.0.0.1"))
                .extract()
                .path("");
        String phone = sessions.stream()
                .filter(s -> "phone-app/1.0".equals(s.get("userAgent")))
                .findFirst()
                .orElseThrow()
                .get("id")
                .toString();
        assertThat(sessions.stream()
                        .filter(s -> Boolean.TRUE.equals(s.get("current")))
                        .count())
                .isEqualTo(1);
        as(a).delete("/api/auth/sessions/{id}", phone).then().statusCode(204);
        assertRefusedWithinOneSecond(b);
        as(a).get("/api/auth/sessions").then().body("size()", equalTo(1));
        // Someone else's session is not yours to see or revoke.
        var other = newUser("VIEWER");
        String c = (String) tokens(other.get("email"), other.get("password")).get("accessToken");
        as(c).delete("/api/auth/sessions/{id}", sessions.get(0).get("id"))
                .then()
                .statusCode(404);
    }

    @Test
    void deactivatingAUserRefusesTheirTokensAndLogins() throws Exception {
        var user = newUser("EDITOR");
        String token = (String) tokens(user.get("email"), user.get("password")).get("accessToken");
        as(token).get("/api/products").then().statusCode(200);
        as(TestTokens.admin())
                .body(Map.of("email", user.get("email"), "roles", List.of("EDITOR"), "active", false))
                .put("/api/users/{id}", user.get("id"))
                .then()
                .statusCode(200)
                .body("active", equalTo(false));
        assertRefusedWithinOneSecond(token);
        login(user.get("email"), user.get("password")).then().statusCode(401);
    }

    @Test
    void deletingAUserRefusesTheirTokens() throws Exception {
        var user = newUser("VIEWER");
        String token = (String) tokens(user.get("email"), user.get("password")).get("accessToken");
        as(TestTokens.admin()).delete("/api/users/{id}", user.get("id")).then().statusCode(204);
        assertRefusedWithinOneSecond(token);
    }

    @Test
    void theSixthFailedLoginIsRefusedEvenWithTheRightPassword() {
        var user = newUser("VIEWER");
        for (int i = 1; i <= 5; i++) {
            login(user.get("email"), "wrong-" + i).then().statusCode(401);
        }
        login(user.get("email"), "wrong-6")
                .then()
                .statusCode(429)
                .contentType(PROBLEM)
                .header("Retry-After", Matchers.notNullValue());
        int retryAfter = Integer.parseInt(login(user.get("email"), user.get("password"))
                .then()
                .statusCode(429)
                .extract()
                .header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 900);
        // Another account from the same IP is not locked by this one's failures.
        var other = newUser("VIEWER");
        login(other.get("email"), other.get("password")).then().statusCode(200);
    }

    @Test
    void twentyFailuresFromOneIpLockThatIp() {
        var user = newUser("VIEWER");
        for (int i = 0; i < 20; i++) {
            login("nobody-" + i + "@example.com", "wrong").then().statusCode(401);
        }
        login(user.get("email"), user.get("password")).then().statusCode(429);
    }

    @Test
    void rolesFromTheTokenGovernAccess() {
        var viewer = newUser("VIEWER");
        var editor = newUser("EDITOR");
        String v = (String) tokens(viewer.get("email"), viewer.get("password")).get("accessToken");
        String e = (String) tokens(editor.get("email"), editor.get("password")).get("accessToken");
        var product = Map.of("sku", "AUTH-" + System.nanoTime(), "name", "Role test");
        as(v).body(product).post("/api/products").then().statusCode(403).contentType(PROBLEM);
        as(e).body(product).post("/api/products").then().statusCode(201);
        as(e).get("/api/users").then().statusCode(403);
        as(e).delete("/api/products").then().statusCode(403);
        as(v).get("/api/products").then().statusCode(200).body("totalItems", greaterThan(0));
    }
}
