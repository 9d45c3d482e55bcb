// SSE fan-out load client (JDK 21+ single-file program): opens N subscriptions to one import's event
// stream and, beside them, subscribes to the job's Redis channel itself, so it knows when each snapshot
// was published. For every snapshot published after all N are connected it counts who received it and
// how long after publication. Prints progress lines, then a RESULT line.
//   java SseFanout.java <baseUrl> <jobId> <token> <n> <redisHost> <redisPort> <channel> <timeoutSeconds>
import java.io.*;
import java.net.Socket;
import java.net.URI;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.regex.*;

public class SseFanout {
    static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    static final Map<Long, Long> published = new ConcurrentHashMap<>();     // seq → nanoTime seen on Redis
    static final Map<Long, Queue<Long>> received = new ConcurrentHashMap<>(); // seq → receive nanoTimes
    static final AtomicInteger connected = new AtomicInteger(), ended = new AtomicInteger(), failed = new AtomicInteger();
    static volatile long allConnectedAt = Long.MAX_VALUE;

    public static void main(String[] a) throws Exception {
        String base = a[0], job = a[1], token = a[2], channel = a[6];
        int n = Integer.parseInt(a[3]);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(a[7]));
        Thread redis = Thread.ofPlatform().daemon().start(() -> listen(a[4], Integer.parseInt(a[5]), channel));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).connectTimeout(java.time.Duration.ofSeconds(30)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/imports/" + job + "/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        Semaphore opening = new Semaphore(500); // connect in waves, not 10,000 SYNs at once
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            opening.acquire();
            client.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(new Events(opening)))
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() != 200) { failed.incrementAndGet(); opening.release(); }
                    });
        }
        while (connected.get() + failed.get() < n && System.nanoTime() - t0 < timeoutNanos) Thread.sleep(50);
        allConnectedAt = System.nanoTime();
        System.out.printf("CONNECTED %d of %d in %.1f s (failed %d)%n", connected.get(), n, (allConnectedAt - t0) / 1e9, failed.get());
        System.out.flush();
        while (ended.get() + failed.get() < n && System.nanoTime() - t0 < timeoutNanos) Thread.sleep(100);
        report(n);
        System.exit(0);
    }

    /** One SSE connection: parses events, records each snapshot's receive time once. */
    static final class Events implements Flow.Subscriber<String> {
        final Semaphore opening;
        boolean first = true, done;
        long seq = -1;
        String event = "message";
        Events(Semaphore opening) { this.opening = opening; }
        public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
        public void onNext(String line) {
            if (line.startsWith("data:")) {
                Matcher m = SEQ.matcher(line);
                if (m.find()) seq = Long.parseLong(m.group(1));
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.isEmpty() && seq >= 0) {
                long now = System.nanoTime();
                if (first) { first = false; connected.incrementAndGet(); opening.release(); }
                received.computeIfAbsent(seq, k -> new ConcurrentLinkedQueue<>()).add(now);
                if (event.equals("end") && !done) { done = true; ended.incrementAndGet(); }
                seq = -1; event = "message";
            }
        }
        public void onError(Throwable t) { if (first) { failed.incrementAndGet(); opening.release(); } else if (!done) failed.incrementAndGet(); }
        public void onComplete() { if (!done && !first) { done = true; ended.incrementAndGet(); } }
    }

    /** A plain RESP subscriber: the reference clock for "published". */
    static void listen(String host, int port, String channel) {
        try (Socket s = new Socket(host, port)) {
            OutputStream out = s.getOutputStream();
            byte[] ch = channel.getBytes(StandardCharsets.UTF_8);
            out.write(("*2\r\n$9\r\nSUBSCRIBE\r\n$" + ch.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(ch);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                Matcher m = SEQ.matcher(line);
                if (m.find()) published.putIfAbsent(Long.parseLong(m.group(1)), System.nanoTime());
            }
        } catch (IOException e) {
            System.out.println("redis listener: " + e);
        }
    }

    static void report(int n) {
        List<Long> latencies = new ArrayList<>();
        int events = 0;
        long missing = 0;
        for (var e : new TreeMap<>(published).entrySet()) {
            if (e.getValue() < allConnectedAt) continue; // only snapshots published once everyone listened
            events++;
            Queue<Long> got = received.getOrDefault(e.getKey(), new ConcurrentLinkedQueue<>());
            missing += Math.max(0, n - got.size());
            for (long t : got) latencies.add(Math.max(0, t - e.getValue()));
        }
        Collections.sort(latencies);
        double p50 = pct(latencies, 50), p99 = pct(latencies, 99), max = latencies.isEmpty() ? 0 : latencies.getLast() / 1e6;
        System.out.printf(Locale.ROOT, "RESULT subscribers=%d connected=%d failed=%d events=%d deliveries=%d missing=%d ended=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
                n, connected.get(), failed.get(), events, latencies.size(), missing, ended.get(), p50, p99, max);
    }

    static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) return 0;
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1)) / 1e6;
    }
}
