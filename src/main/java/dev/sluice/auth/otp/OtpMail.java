package dev.sluice.auth.otp;

import dev.sluice.common.ApiException;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.NetClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The sign-in code message, sent with the reactive mailer (no blocking SMTP on the event loop). A mail
 * server that is down or does not answer within {@code app.otp.mail-timeout} fails the request with 503.
 */
@ApplicationScoped
public class OtpMail {
    private static final Logger LOG = Logger.getLogger(OtpMail.class);
    private final ReactiveMailer mailer;
    private final OtpConfig config;
    private final NetClient probe;

    public OtpMail(ReactiveMailer mailer, OtpConfig config, Vertx vertx) {
        this.mailer = mailer;
        this.config = config;
        this.probe = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int)
                Math.min(Integer.MAX_VALUE, config.mailTimeout().toMillis())));
    }

    @PreDestroy
    void close() {
        probe.closeAndForget();
    }

    /** Sends the code; the code itself goes into the message and nowhere else (not the log). */
    public Uni<Void> send(String to, String code, Duration ttl) {
        String product = config.productName();
        String minutes = humane(ttl);
        String text = """
                Your %s sign-in code is %s

                It expires in %s and works once. If you did not ask for it, ignore this message: \
                nobody can sign in without the code.
                """.formatted(product, code, minutes);
        String html = """
                <!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">
                <p>Your %s sign-in code is</p>
                <p style="font-size:28px;font-weight:bold;letter-spacing:6px;font-family:monospace">%s</p>
                <p>It expires in %s and works once. If you did not ask for it, ignore this message:
                nobody can sign in without the code.</p></body></html>
                """.formatted(escape(product), code, minutes);
        Mail mail = Mail.withText(to, code + " is your " + product + " sign-in code", text)
                .setHtml(html);
        return bounded(mailer.send(mail), "send a sign-in code");
    }

    /**
     * Opens and closes a connection to the mail server without sending: a request for an address without
     * an account then fails exactly when one with an account would, so a mail outage leaks nothing either.
     */
    public Uni<Void> reachable() {
        String host = config.mailHost().filter(h -> !h.isBlank()).orElse("localhost");
        return bounded(
                probe.connect(config.mailPort(), host).flatMap(socket -> socket.close()), "reach the mail server");
    }

    /** Times out, maps any failure to 503, and resumes on the caller's Vert.x context (the Hibernate session's thread). */
    private Uni<Void> bounded(Uni<Void> work, String what) {
        Context caller = io.vertx.core.Vertx.currentContext();
        Uni<Void> out = work.ifNoItem()
                .after(config.mailTimeout())
                .failWith(() -> new TimeoutException(
                        "no answer within " + config.mailTimeout().toMillis() + " ms"))
                .onFailure()
                .transform(e -> {
                    LOG.warnf(
                            "Could not %s (%s:%d): %s",
                            what, config.mailHost().orElse("localhost"), config.mailPort(), e.toString());
                    return new ApiException(
                                    503,
                                    "Mail server unavailable",
                                    "The sign-in code could not be sent because the mail server is unavailable; try again in a minute",
                                    null,
                                    Map.of("Retry-After", "60"))
                            .with("retryAfter", 60);
                });
        return caller == null ? out : out.emitOn(r -> caller.runOnContext(v -> r.run()));
    }

    static String humane(Duration d) {
        long s = d.toSeconds();
        if (s % 60 == 0 && s >= 60) return s / 60 + (s == 60 ? " minute" : " minutes");
        return s + (s == 1 ? " second" : " seconds");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
