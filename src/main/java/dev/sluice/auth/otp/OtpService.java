package dev.sluice.auth.otp;

import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.auth.AuthDtos.Client;
import dev.sluice.auth.AuthDtos.TokenResponse;
import dev.sluice.auth.AuthService;
import dev.sluice.auth.otp.OtpDtos.Requested;
import dev.sluice.auth.otp.OtpDtos.Settings;
import dev.sluice.common.ApiException;
import dev.sluice.common.Times;
import dev.sluice.security.PasswordHasher;
import dev.sluice.user.User;
import dev.sluice.user.UserRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sign-in with a one-time code by email. Per-email state (the code's bcrypt hash, cooldown, hourly cap,
 * wrong-code count, lock) lives in one PostgreSQL row per address, locked while a request or a
 * verification uses it. Every address gets the same treatment whether or not it has an account: an
 * address without one is sent nothing but still gets a (never sent) code, a cooldown and a cap, so no
 * answer, timing or later message tells the two apart.
 */
@ApplicationScoped
public class OtpService {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration HOUR = Duration.ofHours(1);
    private final OtpConfig config;
    private final OtpCodeRepository codes;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final OtpMail mail;
    private final OtpIpLimit ipLimit;
    private final AuthService auth;
    private final AuditLog audit;
    private final Vertx vertx;

    public OtpService(
            OtpConfig config,
            OtpCodeRepository codes,
            UserRepository users,
            PasswordHasher hasher,
            OtpMail mail,
            OtpIpLimit ipLimit,
            AuthService auth,
            AuditLog audit,
            Vertx vertx) {
        this.config = config;
        this.codes = codes;
        this.users = users;
        this.hasher = hasher;
        this.mail = mail;
        this.ipLimit = ipLimit;
        this.auth = auth;
        this.audit = audit;
        this.vertx = vertx;
    }

    public Settings settings() {
        return new Settings(
                config.active(),
                6,
                config.ttl().toSeconds(),
                config.resendAfter().toSeconds());
    }

    /**
     * Emails a new code to an active account; answers the same for any other address. The mail is sent
     * inside the transaction that stores the code: if sending fails (503) nothing is kept, so no code
     * is left usable and the cooldown is not spent.
     */
    public Uni<Requested> request(String email, Client client) {
        long started = System.nanoTime();
        Uni<Requested> work = enabled()
                .flatMap(x -> ipLimit.check(client.ip()))
                .call(() -> ipLimit.count(client.ip()))
                .flatMap(x -> Panache.withTransaction(() -> {
                    String address = normalize(email);
                    return codes.lockFor(address)
                            .flatMap(row -> users.findByEmail(address).flatMap(user -> {
                                Instant now = Times.now();
                                refuseIfLimited(row, now);
                                if (row.windowStart == null
                                        || !row.windowStart.plus(HOUR).isAfter(now)) {
                                    row.windowStart = now;
                                    row.windowCount = 0;
                                }
                                String code = newCode();
                                boolean active = user != null && user.active;
                                return hasher.hash(code).flatMap(hash -> {
                                    row.newCode(hash, now, config.ttl());
                                    row.updatedAt = now;
                                    // An address without an active account is sent nothing, but the mail server is
                                    // still contacted, so that an outage answers 503 for every address alike.
                                    Uni<Void> deliver =
                                            active ? mail.send(user.email, code, config.ttl()) : mail.reachable();
                                    return deliver.call(() -> audit.record(
                                            actor(user, address, client),
                                            "auth.otp_requested",
                                            "user",
                                            user == null ? null : user.id,
                                            Map.of(
                                                    "account",
                                                    user == null ? "none" : user.active ? "active" : "inactive")));
                                });
                            }));
                }))
                .replaceWith(this::requested);
        return atLeast(work, started, config.responseTime());
    }

    /** Trades a correct, unexpired code for the same token pair as a password login. */
    public Uni<TokenResponse> verify(String email, String code, Client client) {
        String address = normalize(email);
        String given = code.strip();
        return enabled()
                .flatMap(x -> ipLimit.check(client.ip()))
                .flatMap(x -> Panache.withTransaction(() -> codes.lockFor(address)
                        .flatMap(row -> users.findByEmail(address).flatMap(user -> {
                            Instant now = Times.now();
                            Actor who = actor(user, address, client);
                            if (row.locked(now)) {
                                return fail(who, user, "locked", null)
                                        .replaceWith(Outcome.refused(locked(row.lockedUntil, now)));
                            }
                            if (row.codeHash != null && !row.expiresAt.isAfter(now)) {
                                return fail(who, user, "expired code", null)
                                        .replaceWith(Outcome.refused(new ApiException(
                                                        401, "Code expired", "This code has expired; request a new one")
                                                .with("reason", "expired")));
                            }
                            boolean live = row.codeHash != null;
                            return hasher.matches(given, row.codeHash).flatMap(ok -> {
                                row.updatedAt = now;
                                if (ok && user != null && user.active) {
                                    row.spend(); // single use
                                    return auth.signIn(user, client, "otp").map(Outcome::signedIn);
                                }
                                return wrongCode(row, now, who, user, live);
                            });
                        }))))
                .flatMap(outcome -> {
                    if (outcome.tokens() != null) return Uni.createFrom().item(outcome.tokens());
                    Uni<Void> counted = outcome.wrong()
                            ? ipLimit.count(client.ip())
                            : Uni.createFrom().voidItem();
                    return counted.flatMap(x -> Uni.createFrom().failure(outcome.error()));
                });
    }

    private Uni<Outcome> wrongCode(OtpCode row, Instant now, Actor who, User user, boolean live) {
        row.attempts++;
        if (row.attempts >= config.maxAttempts()) {
            row.spend(); // the code dies with the lock: after it, only a new code works
            row.lockedUntil = now.plus(config.lockout());
            return audit.record(
                            who,
                            "auth.otp_locked_out",
                            "user",
                            user == null ? null : user.id,
                            Map.of(
                                    "attempts",
                                    config.maxAttempts(),
                                    "lockedForSeconds",
                                    config.lockout().toSeconds()))
                    .replaceWith(Outcome.wrong(locked(row.lockedUntil, now)));
        }
        int left = config.maxAttempts() - row.attempts;
        String reason = live ? "wrong code" : "no code requested or code already used";
        ApiException e = new ApiException(
                        401,
                        "Wrong code",
                        (live
                                        ? "That code is not right; "
                                        : "That code is not valid (it may have been used or replaced); request a new one. ")
                                + left + (left == 1 ? " attempt" : " attempts") + " left before code sign-in is locked")
                .with("reason", live ? "wrong" : "invalid")
                .with("attemptsLeft", left);
        return fail(who, user, reason, left).replaceWith(Outcome.wrong(e));
    }

    private Uni<Void> fail(Actor who, User user, String reason, Integer attemptsLeft) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        if (attemptsLeft != null) details.put("attemptsLeft", attemptsLeft);
        return audit.record(who, "auth.otp_failed", "user", user == null ? null : user.id, details);
    }

    private void refuseIfLimited(OtpCode row, Instant now) {
        if (row.locked(now)) throw locked(row.lockedUntil, now);
        if (row.sentAt != null && row.sentAt.plus(config.resendAfter()).isAfter(now)) {
            long retry = seconds(Duration.between(now, row.sentAt.plus(config.resendAfter())));
            throw tooMany(
                    "A code was sent less than " + inWords(config.resendAfter().toSeconds())
                            + " ago; you can ask for a new one in " + inWords(retry),
                    retry,
                    "resend");
        }
        if (row.windowStart != null
                && row.windowStart.plus(HOUR).isAfter(now)
                && row.windowCount >= config.maxPerHour()) {
            long retry = seconds(Duration.between(now, row.windowStart.plus(HOUR)));
            throw tooMany(
                    "At most " + config.maxPerHour() + " codes are sent to one email per hour; try again in "
                            + inWords(retry),
                    retry,
                    "hourly-limit");
        }
    }

    private ApiException locked(Instant until, Instant now) {
        long retry = seconds(Duration.between(now, until));
        return tooMany(
                "Too many wrong codes: code sign-in for this email is locked for "
                        + inWords(config.lockout().toSeconds()) + ". Try again in " + inWords(retry),
                retry,
                "locked");
    }

    private static ApiException tooMany(String detail, long retryAfter, String reason) {
        return new ApiException(
                        429, "Too many requests", detail, null, Map.of("Retry-After", Long.toString(retryAfter)))
                .with("reason", reason)
                .with("retryAfter", retryAfter);
    }

    private Uni<Void> enabled() {
        return config.active()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom()
                        .failure(new ApiException(
                                404, "Not found", "Sign-in with a code by email is not enabled on this server"));
    }

    private Requested requested() {
        return new Requested(
                "If an account exists for this email, a sign-in code is on its way. It expires in "
                        + OtpMail.humane(config.ttl()) + ".",
                config.ttl().toSeconds(),
                config.resendAfter().toSeconds());
    }

    /** Answers (success or failure) no sooner than {@code floor} after {@code started}. */
    private <T> Uni<T> atLeast(Uni<T> work, long started, Duration floor) {
        return work.onTermination().call((item, failure, cancelled) -> {
            long left = floor.toMillis() - (System.nanoTime() - started) / 1_000_000;
            if (left <= 0) return Uni.createFrom().voidItem();
            Context ctx = io.vertx.core.Vertx.currentContext();
            return Uni.createFrom().<Void>emitter(em -> {
                if (ctx != null) ctx.owner().setTimer(left, id -> em.complete(null));
                else vertx.setTimer(left, id -> em.complete(null));
            });
        });
    }

    private static Actor actor(User user, String address, Client client) {
        return new Actor(
                user == null ? null : user.id, user == null ? address : user.email, client.ip(), client.userAgent());
    }

    private static String newCode() {
        return String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000));
    }

    static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** "45 seconds", "2 minutes", "30 minutes": rounded up, for people. */
    static String inWords(long seconds) {
        if (seconds < 120) return seconds + (seconds == 1 ? " second" : " seconds");
        long minutes = (seconds + 59) / 60;
        return minutes + " minutes";
    }

    private record Outcome(TokenResponse tokens, ApiException error, boolean wrong) {
        static Outcome signedIn(TokenResponse t) {
            return new Outcome(t, null, false);
        }

        static Outcome refused(ApiException e) {
            return new Outcome(null, e, false);
        }

        static Outcome wrong(ApiException e) {
            return new Outcome(null, e, true);
        }
    }
}
