package dev.sluice.auth.otp;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Api.json;
import static dev.sluice.support.Api.login;
import static dev.sluice.support.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.icegreen.greenmail.util.GreenMail;
import dev.sluice.support.Await;
import dev.sluice.support.Mailbox;
import dev.sluice.support.SmtpServer;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Code sign-in against a real SMTP server (GreenMail). The test profile shortens every rule: codes live
 * 3 s, resend after 1.5 s, 3 codes an hour, 5 wrong codes lock for 4 s, answers take at least 200 ms.
 */
@QuarkusTest
class OtpSignInTests {
    private static final String PROBLEM = "application/problem+json";
    private static final Duration RESEND = Duration.ofMillis(1500);

    @SmtpServer.Inject
    GreenMail mail;

    private static Response request(String email) {
        return json().body(Map.of("email", email)).post("/api/auth/otp/request");
    }

    private static Response verify(String email, String code) {
        return json().body(Map.of("email", email, "code", code)).post("/api/auth/otp/verify");
    }

    private static String unknownEmail() {
        return "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** Waits out the resend cooldown by asking until a request is accepted (the cooldown is the only obstacle). */
    private static void requestAfterCooldown(String email) {
        Await.until(
                "the resend cooldown to pass for " + email,
                RESEND.multipliedBy(4),
                () -> request(email).statusCode() == 202);
    }

    private static String wrongCode(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    private static List<Map<String, Object>> audit(String action) {
        return as(TestTokens.admin())
                .queryParam("action", action)
                .queryParam("size", 200)
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    @Test
    void anActiveUserIsEmailedASixDigitCodeThatSignsInWithTheSameTokensAsAPassword() throws Exception {
        var user = newUser("EDITOR");
        request(user.get("email"))
                .then()
                .statusCode(202)
                .body(
                        "expiresIn",
                        equalTo(3),
                        "resendAfter",
                        equalTo(1),
                        "message",
                        containsString("If an account exists"));

        MimeMessage m = Mailbox.awaitMessage(mail, user.get("email"), 1);
        String code = Mailbox.code(m);
        assertThat(code).matches("\\d{6}");
        List<String> bodies = Mailbox.bodies(m);
        for (String body : bodies) assertThat(body).contains("Sluice", code, "expires in 3 seconds");
        assertThat(bodies.get(1)).contains("<html");

        Map<String, Object> tokens =
                verify(user.get("email"), code).then().statusCode(200).extract().as(Map.class);
        assertThat(tokens.get("tokenType")).isEqualTo("Bearer");
        assertThat(tokens.get("expiresIn")).isEqualTo(900);
        as((String) tokens.get("accessToken"))
                .get("/api/auth/me")
                .then()
                .statusCode(200)
                .body("email", equalTo(user.get("email")), "roles", hasItem("EDITOR"));
        // A real session: its refresh token rotates like a password login's.
        json().body(Map.of("refreshToken", tokens.get("refreshToken")))
                .post("/api/auth/refresh")
                .then()
                .statusCode(200);

        assertThat(audit("auth.otp_requested")).anyMatch(e -> user.get("id").equals(e.get("actorId")));
        assertThat(audit("auth.login"))
                .anyMatch(e -> user.get("id").equals(e.get("actorId"))
                        && Map.of("method", "otp").equals(e.get("changes")));
    }

    @Test
    void anEmailWithoutAnAccountGetsTheSameAnswerInNoLessTimeAndNoMail() {
        var user = newUser("VIEWER");
        String nobody = unknownEmail();
        long t0 = System.nanoTime();
        String known =
                request(user.get("email")).then().statusCode(202).extract().asString();
        long t1 = System.nanoTime();
        String unknown = request(nobody).then().statusCode(202).extract().asString();
        long t2 = System.nanoTime();
        assertThat(unknown).isEqualTo(known);
        // Both are held to the configured floor (200 ms in tests), which covers the mail being sent.
        assertThat(Duration.ofNanos(t1 - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(t2 - t1)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        Mailbox.awaitMessage(mail, user.get("email"), 1);
        assertThat(Mailbox.messagesTo(mail, nobody)).isEmpty();
        // Later answers don't tell them apart either: both are under the cooldown.
        request(nobody).then().statusCode(429);
        request(user.get("email")).then().statusCode(429);
    }

    @Test
    void aCodeWorksOnlyOnce() {
        var user = newUser("VIEWER");
        request(user.get("email")).then().statusCode(202);
        String code = Mailbox.awaitCode(mail, user.get("email"), 1);
        verify(user.get("email"), code).then().statusCode(200);
        verify(user.get("email"), code)
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .body("reason", equalTo("invalid"));
    }

    @Test
    void aNewCodeReplacesTheOldOne() {
        var user = newUser("VIEWER");
        request(user.get("email")).then().statusCode(202);
        String first = Mailbox.awaitCode(mail, user.get("email"), 1);
        requestAfterCooldown(user.get("email"));
        String second = Mailbox.awaitCode(mail, user.get("email"), 2);
        if (!first.equals(second)) {
            verify(user.get("email"), first).then().statusCode(401).body("reason", equalTo("wrong"));
        }
        verify(user.get("email"), second).then().statusCode(200);
    }

    @Test
    void aResendWithinTheCooldownGets429WithRetryAfter() {
        var user = newUser("VIEWER");
        request(user.get("email")).then().statusCode(202);
        Response again = request(user.get("email"));
        again.then()
                .statusCode(429)
                .contentType(PROBLEM)
                .body("reason", equalTo("resend"), "detail", containsString("you can ask for a new one in"));
        assertThat(Integer.parseInt(again.header("Retry-After"))).isBetween(1, 2);
        assertThat(Mailbox.messagesTo(mail, user.get("email"))).hasSize(1);
    }

    @Test
    void atMostTheHourlyCapOfCodesIsSentToOneEmail() {
        var user = newUser("VIEWER");
        request(user.get("email")).then().statusCode(202);
        requestAfterCooldown(user.get("email"));
        requestAfterCooldown(user.get("email"));
        Mailbox.awaitMessage(mail, user.get("email"), 3);
        // The fourth, once the cooldown is over, is refused until the hour is up.
        Await.until(
                "the cooldown to give way to the hourly cap",
                RESEND.multipliedBy(4),
                () -> "hourly-limit"
                        .equals(request(user.get("email"))
                                .then()
                                .statusCode(429)
                                .extract()
                                .path("reason")));
        Response capped = request(user.get("email"));
        capped.then().statusCode(429).contentType(PROBLEM).body("detail", containsString("At most 3 codes"));
        assertThat(Integer.parseInt(capped.header("Retry-After"))).isBetween(3500, 3600);
        assertThat(Mailbox.messagesTo(mail, user.get("email"))).hasSize(3);
    }

    @Test
    void fiveWrongCodesLockCodeSignInForTheLockoutAndTheLockCountsDown() {
        var user = newUser("VIEWER");
        String email = user.get("email");
        request(email).then().statusCode(202);
        String code = Mailbox.awaitCode(mail, email, 1);
        for (int left = 4; left >= 1; left--) {
            verify(email, wrongCode(code))
                    .then()
                    .statusCode(401)
                    .contentType(PROBLEM)
                    .body(
                            "attemptsLeft",
                            equalTo(left),
                            "detail",
                            containsString(left + (left == 1 ? " attempt" : " attempts") + " left"));
        }
        Response locked = verify(email, wrongCode(code));
        locked.then()
                .statusCode(429)
                .contentType(PROBLEM)
                .body(
                        "reason",
                        equalTo("locked"),
                        "detail",
                        containsString("code sign-in for this email is locked for 4 seconds"));
        int first = Integer.parseInt(locked.header("Retry-After"));
        assertThat(first).isBetween(1, 4);
        // Locked means locked: the right code and new requests are refused too.
        verify(email, code).then().statusCode(429).body("reason", equalTo("locked"));
        Await.until(
                "Retry-After to count down",
                Duration.ofSeconds(5),
                () -> Integer.parseInt(
                                request(email).then().statusCode(429).extract().header("Retry-After"))
                        < first);
        assertThat(audit("auth.otp_locked_out")).anyMatch(e -> user.get("id").equals(e.get("actorId")));
        assertThat(audit("auth.otp_failed"))
                .filteredOn(e -> user.get("id").equals(e.get("actorId")))
                .hasSizeGreaterThanOrEqualTo(4);

        // After the lock-out a new code signs in; the code from before the lock does not.
        Await.until(
                "the lock-out to end",
                Duration.ofSeconds(10),
                () -> request(email).statusCode() == 202);
        String fresh = Mailbox.awaitCode(mail, email, 2);
        if (!fresh.equals(code)) verify(email, code).then().statusCode(401);
        verify(email, fresh).then().statusCode(200);
    }

    @Test
    void anExpiredCodeGetsItsOwnMessage() {
        var user = newUser("VIEWER");
        long sent = System.currentTimeMillis();
        request(user.get("email")).then().statusCode(202);
        String code = Mailbox.awaitCode(mail, user.get("email"), 1);
        Await.until(
                "the code's 3 s lifetime to pass",
                Duration.ofSeconds(10),
                () -> System.currentTimeMillis() > sent + 3300);
        verify(user.get("email"), code)
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .body(
                        "title",
                        equalTo("Code expired"),
                        "reason",
                        equalTo("expired"),
                        "detail",
                        containsString("has expired; request a new one"));
        // Expired is expired, whatever code is tried, and it doesn't count toward the lock.
        for (int i = 0; i < 6; i++)
            verify(user.get("email"), wrongCode(code)).then().statusCode(401).body("reason", equalTo("expired"));
        request(user.get("email")).then().statusCode(202);
        verify(user.get("email"), Mailbox.awaitCode(mail, user.get("email"), 2))
                .then()
                .statusCode(200);
    }

    @Test
    void aMailServerThatIsDownGets503QuicklyAndLeavesNoUsableCode() {
        var user = newUser("VIEWER");
        String nobody = unknownEmail();
        mail.stop();
        try {
            long t0 = System.nanoTime();
            request(user.get("email"))
                    .then()
                    .statusCode(503)
                    .contentType(PROBLEM)
                    .body("detail", containsString("mail server is unavailable"));
            // The same for an address without an account: an outage doesn't tell them apart.
            request(nobody).then().statusCode(503).contentType(PROBLEM);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        } finally {
            mail.start();
        }
        // Nothing was kept: no cooldown to wait out, and the code that now arrives is the only one.
        request(user.get("email")).then().statusCode(202);
        String code = Mailbox.awaitCode(mail, user.get("email"), 1);
        assertThat(Mailbox.messagesTo(mail, user.get("email"))).hasSize(1);
        verify(user.get("email"), code).then().statusCode(200);
    }

    @Test
    void aUserCreatedWithoutAPasswordSignsInOnlyWithACode() {
        String email = "codeonly-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        as(TestTokens.admin())
                .body(Map.of("email", email, "roles", Set.of("VIEWER")))
                .post("/api/users")
                .then()
                .statusCode(201)
                .body("email", equalTo(email));
        login(email, "any-password-at-all").then().statusCode(401);
        request(email).then().statusCode(202);
        verify(email, Mailbox.awaitCode(mail, email, 1)).then().statusCode(200);
    }

    @Test
    void theCodeAppearsInNoResponseAndNoAuditEntry() {
        var user = newUser("VIEWER");
        String requested =
                request(user.get("email")).then().statusCode(202).extract().asString();
        String code = Mailbox.awaitCode(mail, user.get("email"), 1);
        String wrong = verify(user.get("email"), wrongCode(code))
                .then()
                .statusCode(401)
                .extract()
                .asString();
        String tokens =
                verify(user.get("email"), code).then().statusCode(200).extract().asString();
        String entries = as(TestTokens.admin())
                .queryParam("actor", user.get("email"))
                .queryParam("size", 200)
                .get("/api/audit")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(entries).contains("auth.otp_requested", "auth.otp_failed", "auth.login");
        for (String body : List.of(requested, wrong, tokens, entries))
            assertThat(body).doesNotContain(code);
    }

    @Test
    void aMalformedRequestGetsFieldErrors() {
        json().body(Map.of("email", "someone@example.com", "code", "12ab"))
                .post("/api/auth/otp/verify")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("code"));
        json().body(Map.of("email", "not-an-email"))
                .post("/api/auth/otp/request")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("email"));
    }

    @Test
    void theSignInPageCanAskWhetherCodesAreOffered() {
        json().get("/api/auth/otp")
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true), "codeLength", equalTo(6), "expiresIn", equalTo(3));
    }
}
