package dev.sluice.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real HTTP server on a loopback address that records every webhook request and answers as
 * scripted per path (default 200).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One received request; header names lower-cased. */
    public record Received(String path, Map<String, List<String>> headers, String body, long atMillis) {
        public String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.getFirst();
        }
    }

    /** A scripted answer. */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay) {
        public static Reply status(int status) {
            return new Reply(status, Map.of(), "", Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Reply> always = new ConcurrentHashMap<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    private WebhookReceiver(String address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public static WebhookReceiver start() throws IOException {
        return new WebhookReceiver("127.0.0.1");
    }

    /** Bound to another loopback address (for checking that nothing reaches it). */
    public static WebhookReceiver startOn(String loopbackAddress) throws IOException {
        return new WebhookReceiver(loopbackAddress);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A URL on this receiver with the given host name (resolved through the test hosts file). */
    public String url(String host, String path) {
        return "http://" + host + ":" + port() + path;
    }

    public String url(String path) {
        return url("127.0.0.1", path);
    }

    /** The next answers for a path, in order; after them, {@link #always} or 200. */
    public WebhookReceiver then(String path, Reply... replies) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(replies));
        return this;
    }

    public WebhookReceiver always(String path, Reply reply) {
        always.put(path, reply);
        return this;
    }

    public List<Received> on(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** Waits until the path has received at least {@code n} requests matching; returns them all. */
    public List<Received> await(String path, int n, Duration timeout, Predicate<Received> which) {
        return Await.value(
                n + " request(s) arrive on " + path,
                timeout,
                Duration.ofMillis(25),
                () -> on(path).stream().filter(which).toList(),
                got -> got.size() >= n);
    }

    public List<Received> await(String path, int n, Duration timeout) {
        return await(path, n, timeout, r -> true);
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String path = ex.getRequestURI().getPath();
            received.add(new Received(path, headers, body, System.currentTimeMillis()));
            Deque<Reply> script = scripts.get(path);
            Reply reply = script == null ? null : script.poll();
            if (reply == null) reply = always.getOrDefault(path, Reply.status(200));
            if (!reply.delay().isZero()) sleep(reply.delay().toMillis());
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } finally {
            concurrent.decrementAndGet();
            ex.close();
        }
    }

    private static void sleep(long ms) {
        Await.pause(Duration.ofMillis(ms));
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** The received requests as a list of their bodies' "type" members, for messages. */
    public static List<String> types(List<Received> rs) {
        List<String> out = new ArrayList<>();
        for (Received r : rs) out.add(new JsonPath(r.body()).getString("type"));
        return out;
    }
}
