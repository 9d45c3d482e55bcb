package dev.sluice.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP attempt of a webhook delivery: POSTs the signed body to the address the guard checked
 * (the host name only goes into the Host header and TLS SNI), follows no redirect, keeps a bounded
 * piece of the response for the log, and gives up after the configured timeout.
 */
@ApplicationScoped
public class WebhookSender {
    private final HttpClient client;
    private final WebhooksConfig config;

    public WebhookSender(Vertx vertx, WebhooksConfig config) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setMaxPoolSize(Math.max(1, config.maxConcurrencyPerEndpoint()))
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setForceSni(true)
                .setMaxRedirects(0));
    }

    /** What one attempt got. {@code statusCode} is null when no response came. */
    public record Result(Integer statusCode, int responseMs, String error, Duration retryAfter) {
        public boolean success() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    public Uni<Result> post(
            AddressGuard.Target target, String messageId, long timestamp, String signature, String body) {
        URI uri = target.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        long timeout = config.timeout().toMillis();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(
                        SocketAddress.inetSocketAddress(port, target.address().getHostAddress()))
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(https)
                .setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(timeout)
                .setIdleTimeout(timeout)
                .putHeader("content-type", "application/json")
                .putHeader("user-agent", "Sluice-Webhooks/1.0")
                .putHeader("webhook-id", messageId)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", signature);
        int keep = (int) config.maxLoggedResponse().asLongValue();
        long start = System.nanoTime();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        return client.request(request)
                .invoke(sent::set)
                .flatMap(req -> req.send(body))
                .flatMap(resp -> resp.toMulti()
                        .collect()
                        .in(StringBuilder::new, (sb, buf) -> append(sb, buf, keep))
                        .map(text -> {
                            int code = resp.statusCode();
                            String error = null;
                            if (code >= 300 && code < 400) {
                                error = "HTTP " + code + ": redirect to " + resp.getHeader("location")
                                        + " not followed";
                            } else if (code < 200 || code >= 300) {
                                error = "HTTP " + code + (text.isEmpty() ? "" : ": " + text);
                            }
                            Duration retryAfter =
                                    code == 429 || code == 503 ? retryAfter(resp.getHeader("retry-after")) : null;
                            return new Result(code, elapsed(start), error, retryAfter);
                        }))
                .ifNoItem()
                .after(Duration.ofMillis(timeout))
                .failWith(() -> new TimeoutException())
                .onFailure()
                .recoverWithItem(e -> {
                    HttpClientRequest req = sent.get();
                    if (req != null) req.reset();
                    return new Result(null, elapsed(start), describe(e, timeout), null);
                });
    }

    private static void append(StringBuilder sb, Buffer buf, int keep) {
        if (sb.length() >= keep) return;
        String s = buf.toString();
        sb.append(s, 0, Math.min(s.length(), keep - sb.length()));
    }

    private static String describe(Throwable e, long timeoutMs) {
        if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
            return "No response within " + timeoutMs + " ms";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static int elapsed(long start) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
    }

    /** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(
                        Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }
}
