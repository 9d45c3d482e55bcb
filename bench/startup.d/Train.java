import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AOT cache's training workload: what a replica serves in its first minute. Signs in, streams a
 * small CSV import and follows its SSE progress to the end, then reads products by id from 64
 * concurrent clients for TRAIN_SECONDS (default 20), lists, searches, pages and exports them. The
 * cache then holds these paths' classes, loaded and linked, and (JDK 25) their methods' profiles, so
 * the JIT compiles the hot paths soon after a start instead of after a minute of load.
 * <p>
 * A single-file program (java Train.java http://host:port) with nothing but the JDK, so that the
 * container build (src/main/docker/Dockerfile.jvm) can run it in the image it trains, where the JDK
 * that writes the cache is the JDK that reads it. bench/startup and bench/load --warmup run it too.
 */
public class Train {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String base;
    static String token;

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--keys")) {
            keys(java.nio.file.Path.of(args[1]));
            return;
        }
        base = args.length > 0 ? args[0] : "http://localhost:8080";
        String email = env("APP_ADMIN_EMAIL", "bench@sluice.local");
        String password = env("APP_ADMIN_PASSWORD", "bench-password");
        int seconds = Integer.parseInt(env("TRAIN_SECONDS", "20"));

        String login = send("POST", "/api/auth/login", "application/json",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        token = field(login, "accessToken");

        StringBuilder csv = new StringBuilder("sku,name,description,price,quantity,active\n");
        for (int i = 0; i < 5000; i++) {
            csv.append("TRAIN-%05d,Training product %d,Made for the AOT cache,%d.99,%d,true\n"
                    .formatted(i, i, i % 500, i % 40));
        }
        String job = field(send("POST", "/api/imports?filename=train.csv", "text/csv", csv.toString()), "id");
        follow("/api/imports/" + job + "/events");
        send("GET", "/api/imports/" + job, null, null);
        send("GET", "/api/imports", null, null);

        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"")
                .matcher(send("GET", "/api/products?size=100", null, null));
        while (m.find()) ids.add(m.group(1));
        for (String q : List.of("TRAIN-0", "product", "42")) send("GET", "/api/products?q=" + q, null, null);
        send("GET", "/api/products?sort=name&size=50", null, null);
        send("GET", "/api/products/export?format=csv", null, null);
        send("GET", "/q/metrics", null, null);

        AtomicLong done = new AtomicLong();
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        try (var pool = Executors.newFixedThreadPool(64)) {
            for (int c = 0; c < 64; c++) {
                int start = c;
                pool.submit(() -> {
                    for (int i = start; System.nanoTime() < until; i++) {
                        send("GET", "/api/products/" + ids.get(i % ids.size()), null, null);
                        done.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        System.out.printf("training: %d reads by id in %d s%n", done.get(), seconds);
    }

    /**
     * Writes a throwaway RS256 key pair (privateKey.pem, publicKey.pem) and APP_SECRETS_KEY value
     * (secrets.key) for a training run in an image
     * build, where there is neither openssl nor a real key to hand: the cache holds classes and
     * profiles, never keys.
     */
    static void keys(java.nio.file.Path dir) throws Exception {
        var gen = java.security.KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        var pair = gen.generateKeyPair();
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("privateKey.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        java.nio.file.Files.writeString(dir.resolve("publicKey.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        byte[] sealing = new byte[32];
        new java.security.SecureRandom().nextBytes(sealing);
        java.nio.file.Files.writeString(
                dir.resolve("secrets.key"), "training:" + java.util.Base64.getEncoder().encodeToString(sealing));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static String send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (type != null) b.header("Content-Type", type);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    /** Reads the import's SSE stream until its "end" event. */
    static void follow(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<java.io.InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body()))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("event: end") || line.equals("event:end")) return;
            }
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
        return m.group(1);
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
