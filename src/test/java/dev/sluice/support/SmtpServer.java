package dev.sluice.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A real SMTP server (GreenMail, with POP3 for the browser test) on free loopback ports, for every
 * {@code @QuarkusTest}: the server sends sign-in codes to it over a real connection, and tests read the
 * delivered messages. Global (not restricted to one class), so that it costs no extra restart.
 */
@QuarkusTestResource(SmtpServer.class)
public class SmtpServer implements QuarkusTestResourceLifecycleManager {
    /** Injects the running {@link GreenMail} into a test's field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {}

    private GreenMail mail;

    @Override
    public Map<String, String> start() {
        // Fixed (free) ports rather than dynamic ones: a test stops and restarts the server on the same port.
        mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_POP3)
        });
        mail.start();
        String smtp = Integer.toString(mail.getSmtp().getPort());
        return Map.of(
                "app.otp.mail-host",
                "127.0.0.1",
                "app.otp.mail-port",
                smtp,
                "quarkus.mailer.host",
                "127.0.0.1",
                "quarkus.mailer.port",
                smtp,
                "sluice.test.pop3-port",
                Integer.toString(mail.getPop3().getPort()));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(mail, new TestInjector.AnnotatedAndMatchesType(Inject.class, GreenMail.class));
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (mail != null) mail.stop();
    }
}
