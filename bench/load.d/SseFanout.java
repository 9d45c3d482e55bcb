// SSE fan-out load client (JDK 21+ single-file program): opens N subscriptions to one import's event
// stream and, beside them, subscribes to the job's Redis channel itself, so it knows when each snapshot
// was published. For every snapshot published after all N are connected it counts who received it and
// how long after publication. Prints progress lines, then a RESULT line. Snapshots are matched by their
// JSON after the seq field, not by seq: a stream may number a runner's snapshot past its Redis seq
// (after a database snapshot, e.g. the queued job's first event).
//   java SseFanout.java <baseUrl> <jobId> <token> <n> <redisHost> <redisPort> <channel> <timeoutSeconds>
//                       [sourceAddresses] [streamsPerConnection]
// Plain NIO, no HTTP library, so that the client is not what limits the run: a few hundred bytes per
// subscriber and two selector threads.
//  - streamsPerConnection 0 (the default): HTTP/1.1, one TCP connection per subscriber, as browsers
//    with EventSource do. The connections are spread over sourceAddresses local addresses
//    (127.0.0.2, 127.0.0.3, …): one address has some 28,000 ephemeral ports towards one server port.
//  - streamsPerConnection k > 0: HTTP/2 over cleartext (prior knowledge), k subscriptions (streams) per
//    TCP connection: what a proxy in front of the servers, or a browser that follows several imports,
//    sends. It needs a k-th of the file descriptors.
import java.io.*;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.regex.*;

public class SseFanout {
    static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    static final Map<Long, Long> published = new ConcurrentHashMap<>(); // content hash → nanoTime seen on Redis
    static final Map<Long, Receipts> received = new ConcurrentHashMap<>(); // content hash → receive nanoTimes
    static final long FNV_OFFSET = 0xcbf29ce484222325L, FNV_PRIME = 0x100000001b3L;
    static final AtomicInteger connected = new AtomicInteger(), ended = new AtomicInteger(), failed = new AtomicInteger();
    static final AtomicInteger opening = new AtomicInteger(); // subscriptions asked for, without their first event
    static final AtomicInteger errors = new AtomicInteger();
    static volatile long allConnectedAt = Long.MAX_VALUE;
    static int n;
    static byte[] http1Request;
    static byte[] h2HeaderBlock;

    /** Receive times of one seq: a primitive array, not a boxed queue (50,000 × 60 of them). */
    static final class Receipts {
        final long[] times;
        final AtomicInteger count = new AtomicInteger();
        Receipts(int n) { times = new long[n]; }
        void add(long t) { int i = count.getAndIncrement(); if (i < times.length) times[i] = t; }
    }

    public static void main(String[] a) throws Exception {
        URI base = URI.create(a[0]);
        String job = a[1], token = a[2], channel = a[6];
        n = Integer.parseInt(a[3]);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(a[7]));
        int sources = a.length > 8 ? Integer.parseInt(a[8]) : 1;
        int streams = a.length > 9 ? Integer.parseInt(a[9]) : 0;
        String path = "/api/imports/" + job + "/events";
        String authority = base.getHost() + ":" + base.getPort();
        http1Request = ("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nAuthorization: Bearer " + token
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        h2HeaderBlock = hpack(path, authority, "Bearer " + token);
        Thread.ofPlatform().daemon().start(() -> listen(a[4], Integer.parseInt(a[5]), channel));

        Loop[] loops = {new Loop(), new Loop()};
        for (Loop l : loops) Thread.ofPlatform().daemon().name("sse-loop").start(l);
        InetSocketAddress server = new InetSocketAddress(base.getHost(), base.getPort());
        long t0 = System.nanoTime();
        int perConnection = Math.max(1, streams);
        int connections = (n + perConnection - 1) / perConnection;
        for (int c = 0, left = n; c < connections; c++) {
            int k = Math.min(perConnection, left);
            left -= k;
            while (opening.get() > 1000) Thread.sleep(1); // connect in waves, not 50,000 SYNs at once
            opening.addAndGet(k);
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            if (sources > 1) ch.bind(new InetSocketAddress("127.0.0." + (2 + c % sources), 0));
            ch.connect(server);
            Conn conn = streams > 0 ? new H2(ch, k) : new H1(ch);
            loops[c % loops.length].add(conn);
            if (c % 5000 == 4999) System.out.printf("opened %d connections%n", c + 1);
        }
        while (connected.get() + failed.get() < n && System.nanoTime() - t0 < timeoutNanos) Thread.sleep(50);
        allConnectedAt = System.nanoTime();
        System.out.printf("CONNECTED %d of %d in %.1f s (failed %d) over %d connections%n", connected.get(), n,
                (allConnectedAt - t0) / 1e9, failed.get(), connections);
        System.out.flush();
        while (ended.get() + failed.get() < n && System.nanoTime() - t0 < timeoutNanos) Thread.sleep(100);
        report();
        System.exit(0);
    }

    /** One subscription's event stream: "id:", "event:" and "data:" lines, an event at each blank line. */
    static final class Sse {
        final byte[] line = new byte[24];
        int len;
        long id = -1, hash, dataHash;
        boolean isEnd, hashing, first = true, done;

        void feed(ByteBuffer b, int from, int to) {
            for (int i = from; i < to; i++) {
                byte c = b.get(i);
                if (c == '\n') { endLine(); len = 0; hashing = false; continue; }
                if (len < line.length) line[len] = c;
                len++;
                if (hashing) hash = (hash ^ (c & 0xff)) * FNV_PRIME;
                else if (c == ',' && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a') {
                    hashing = true; // what follows the seq field
                    hash = FNV_OFFSET;
                }
            }
        }

        private void endLine() {
            if (len == 0) {
                if (id >= 0) event();
                id = -1; isEnd = false;
            } else if (line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a') {
                dataHash = hash;
            } else if (len > 3 && line[0] == 'i' && line[1] == 'd' && line[2] == ':') {
                long v = 0;
                for (int i = 3; i < len; i++) if (line[i] >= '0' && line[i] <= '9') v = v * 10 + (line[i] - '0');
                id = v;
            } else if (len >= 9 && line[0] == 'e' && line[1] == 'v' && line[6] == 'e' && line[7] == 'n' && line[8] == 'd') {
                isEnd = true; // "event:end"
            }
        }

        private void event() {
            long now = System.nanoTime();
            if (first) { first = false; connected.incrementAndGet(); opening.decrementAndGet(); }
            received.computeIfAbsent(dataHash, k -> new Receipts(n)).add(now);
            if (isEnd && !done) { done = true; ended.incrementAndGet(); }
        }

        /** The stream stopped: an error before its first event, or an end without the end event. */
        void stopped(boolean error) {
            if (done) return;
            done = true;
            if (first) { failed.incrementAndGet(); opening.decrementAndGet(); }
            else if (error) failed.incrementAndGet();
            else ended.incrementAndGet();
        }
    }

    abstract static class Conn {
        final SocketChannel ch;
        ByteBuffer out;
        Conn(SocketChannel ch) { this.ch = ch; }
        abstract ByteBuffer greeting();
        abstract void read(ByteBuffer b, int from, int to);
        abstract void closed(boolean error);
    }

    /** HTTP/1.1: the response head, then a chunked body. */
    static final class H1 extends Conn {
        final Sse sse = new Sse();
        int state; // 0 head, 1 chunk size, 2 chunk data, 3 chunk CRLF
        int headEnd, status, chunkLeft, crlfLeft;
        final StringBuilder statusLine = new StringBuilder();
        H1(SocketChannel ch) { super(ch); }

        ByteBuffer greeting() { return ByteBuffer.wrap(http1Request); }

        void read(ByteBuffer b, int from, int to) {
            int i = from;
            while (i < to) {
                switch (state) {
                    case 0 -> { // the head ends at CRLF CRLF
                        byte c = b.get(i++);
                        if (status == 0 && c != '\r' && c != '\n') statusLine.append((char) c);
                        if (status == 0 && c == '\n') {
                            String[] parts = statusLine.toString().split(" ");
                            status = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
                            if (status != 200) { sse.stopped(true); throw new IllegalStateException("status " + status); }
                        }
                        headEnd = c == '\r' || c == '\n' ? headEnd + 1 : 0;
                        if (headEnd == 4) { state = 1; chunkLeft = 0; }
                    }
                    case 1 -> { // hex size, CRLF
                        byte c = b.get(i++);
                        if (c == '\n') {
                            if (chunkLeft == 0) { sse.stopped(false); throw new IllegalStateException("end"); }
                            state = 2;
                        } else if (c != '\r') {
                            chunkLeft = chunkLeft * 16 + Character.digit(c, 16);
                        }
                    }
                    case 2 -> {
                        int take = Math.min(chunkLeft, to - i);
                        sse.feed(b, i, i + take);
                        i += take;
                        chunkLeft -= take;
                        if (chunkLeft == 0) { state = 3; crlfLeft = 2; }
                    }
                    default -> {
                        i++;
                        if (--crlfLeft == 0) state = 1;
                    }
                }
            }
        }

        void closed(boolean error) { sse.stopped(error); }
    }

    /** HTTP/2 over cleartext with prior knowledge: k streams, each a subscription. */
    static final class H2 extends Conn {
        final Map<Integer, Sse> streams = new HashMap<>();
        final int k;
        final byte[] header = new byte[9];
        int headerLen, length, type, flags, stream, left;
        ByteArrayOutputStream payload;
        H2(SocketChannel ch, int k) { super(ch); this.k = k; }

        ByteBuffer greeting() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // SETTINGS: no push, the largest stream window (the events are small; never a window update).
            frame(o, 4, 0, 0, new byte[] {0, 2, 0, 0, 0, 0, 0, 4, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            int more = Integer.MAX_VALUE - 65535;
            frame(o, 8, 0, 0, new byte[] {(byte) (more >>> 24), (byte) (more >>> 16), (byte) (more >>> 8), (byte) more});
            for (int s = 0; s < k; s++) {
                int id = 1 + 2 * s;
                streams.put(id, new Sse());
                frame(o, 1, 0x5, id, h2HeaderBlock); // END_STREAM | END_HEADERS
            }
            return ByteBuffer.wrap(o.toByteArray());
        }

        void read(ByteBuffer b, int from, int to) {
            int i = from;
            while (i < to) {
                if (headerLen < 9) {
                    header[headerLen++] = b.get(i++);
                    if (headerLen == 9) {
                        length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
                        type = header[3];
                        flags = header[4];
                        stream = (header[5] & 0x7f) << 24 | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8 | header[8] & 0xff;
                        left = length;
                        payload = type == 0 ? null : new ByteArrayOutputStream(length);
                        if (left == 0) frameDone();
                    }
                    continue;
                }
                int take = Math.min(left, to - i);
                if (type == 0) {
                    if ((flags & 0x8) != 0) throw new IllegalStateException("padded DATA is not supported");
                    Sse s = streams.get(stream);
                    if (s != null) s.feed(b, i, i + take);
                } else {
                    for (int j = i; j < i + take; j++) payload.write(b.get(j));
                }
                i += take;
                left -= take;
                if (left == 0) frameDone();
            }
        }

        private void frameDone() {
            headerLen = 0;
            byte[] p = payload == null ? null : payload.toByteArray();
            switch (type) {
                case 0 -> { if ((flags & 0x1) != 0) end(stream, false); }
                case 1 -> { // the first byte of the block: 0x88 is ":status 200" from the static table
                    int at = ((flags & 0x8) != 0 ? 1 : 0) + ((flags & 0x20) != 0 ? 5 : 0); // pad length, priority
                    if (p.length <= at || (p[at] & 0xff) != 0x88) {
                        if (errors.getAndIncrement() < 3) System.out.printf("stream %d: HEADERS %s%n", stream, HexFormat.of().formatHex(p));
                        end(stream, true);
                    }
                    else if ((flags & 0x1) != 0) end(stream, false);
                }
                case 3 -> { // RST_STREAM
                    if (errors.getAndIncrement() < 3) System.out.printf("stream %d reset: %s%n", stream, HexFormat.of().formatHex(p));
                    end(stream, true);
                }
                case 4 -> { if ((flags & 0x1) == 0) send(4, 1, 0, new byte[0]); } // SETTINGS: ack
                case 6 -> { if ((flags & 0x1) == 0) send(6, 1, 0, p); } // PING: ack
                case 7 -> System.out.println("GOAWAY from the server: " + HexFormat.of().formatHex(p));
                default -> {}
            }
        }

        private void end(int id, boolean error) {
            Sse s = streams.remove(id);
            if (s != null) s.stopped(error);
        }

        private void send(int type, int flags, int id, byte[] body) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            frame(o, type, flags, id, body);
            try {
                ch.write(ByteBuffer.wrap(o.toByteArray())); // tiny and rare: the socket takes it
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void closed(boolean error) {
            for (Sse s : streams.values()) s.stopped(error);
            streams.clear();
        }
    }

    static void frame(ByteArrayOutputStream o, int type, int flags, int id, byte[] body) {
        o.write(body.length >>> 16); o.write(body.length >>> 8); o.write(body.length);
        o.write(type); o.write(flags);
        o.write(id >>> 24); o.write(id >>> 16); o.write(id >>> 8); o.write(id);
        o.writeBytes(body);
    }

    /** The request's header block: static-table names, literal values, no Huffman, no dynamic table. */
    static byte[] hpack(String path, String authority, String authorization) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x82); // :method GET
        o.write(0x86); // :scheme http
        literal(o, 4, path); // :path
        literal(o, 1, authority); // :authority
        literal(o, 23, authorization); // authorization
        literal(o, 19, "text/event-stream"); // accept
        return o.toByteArray();
    }

    /** A literal header field without indexing, its name from the static table. */
    static void literal(ByteArrayOutputStream o, int nameIndex, String value) {
        integer(o, 0x00, 4, nameIndex);
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        integer(o, 0x00, 7, v.length);
        o.writeBytes(v);
    }

    static void integer(ByteArrayOutputStream o, int mask, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) { o.write(mask | value); return; }
        o.write(mask | max);
        value -= max;
        while (value >= 128) { o.write(value % 128 + 128); value /= 128; }
        o.write(value);
    }

    /** A selector thread: connects, sends each connection's greeting, reads. */
    static final class Loop implements Runnable {
        final Selector selector;
        final Queue<Conn> added = new ConcurrentLinkedQueue<>();
        final ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        Loop() throws IOException { selector = Selector.open(); }

        void add(Conn c) { added.add(c); selector.wakeup(); }

        public void run() {
            try {
                while (true) {
                    selector.select(100);
                    for (Conn c; (c = added.poll()) != null; ) c.ch.register(selector, SelectionKey.OP_CONNECT, c);
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey key = it.next();
                        it.remove();
                        Conn c = (Conn) key.attachment();
                        try {
                            if (key.isConnectable()) {
                                c.ch.finishConnect();
                                c.out = c.greeting();
                                key.interestOps(SelectionKey.OP_WRITE);
                            }
                            if (key.isValid() && key.isWritable()) {
                                c.ch.write(c.out);
                                if (!c.out.hasRemaining()) { c.out = null; key.interestOps(SelectionKey.OP_READ); }
                            }
                            if (key.isValid() && key.isReadable()) {
                                buf.clear();
                                int r = c.ch.read(buf);
                                if (r < 0) { close(key, c, false); continue; }
                                c.read(buf, 0, r);
                            }
                        } catch (IOException | RuntimeException e) {
                            if (!"end".equals(e.getMessage()) && errors.getAndIncrement() < 3) System.out.println("connection: " + e);
                            close(key, c, !"end".equals(e.getMessage()));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void close(SelectionKey key, Conn c, boolean error) {
            key.cancel();
            try { c.ch.close(); } catch (IOException ignored) {}
            c.closed(error);
        }
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
                long now = System.nanoTime();
                if (!SEQ.matcher(line).find()) continue;
                long h = FNV_OFFSET;
                for (byte c : line.substring(line.indexOf(',') + 1).getBytes(StandardCharsets.UTF_8)) h = (h ^ (c & 0xff)) * FNV_PRIME;
                published.putIfAbsent(h, now);
            }
        } catch (IOException e) {
            System.out.println("redis listener: " + e);
        }
    }

    static void report() {
        long[] latencies = new long[0];
        int count = 0, events = 0;
        long missing = 0;
        List<Map.Entry<Long, Long>> byTime = new ArrayList<>(published.entrySet());
        byTime.sort(Map.Entry.comparingByValue());
        for (var e : byTime) {
            if (e.getValue() < allConnectedAt) continue; // only snapshots published once everyone listened
            events++;
            Receipts got = received.get(e.getKey());
            int k = got == null ? 0 : Math.min(got.count.get(), n);
            missing += n - k;
            if (count + k > latencies.length) latencies = Arrays.copyOf(latencies, Math.max(2 * latencies.length, count + k));
            long first = Long.MAX_VALUE, last = 0;
            for (int i = 0; i < k; i++) {
                latencies[count++] = Math.max(0, got.times[i] - e.getValue());
                first = Math.min(first, got.times[i]);
                last = Math.max(last, got.times[i]);
            }
            if (events <= 3 && k > 0)
                System.out.printf(Locale.ROOT, "snapshot %d: first receipt %+.1f ms, last %+.1f ms after its publication%n",
                        events, (first - e.getValue()) / 1e6, (last - e.getValue()) / 1e6);
        }
        Arrays.sort(latencies, 0, count);
        double p50 = pct(latencies, count, 50), p99 = pct(latencies, count, 99), max = count == 0 ? 0 : latencies[count - 1] / 1e6;
        System.out.printf(Locale.ROOT, "RESULT subscribers=%d connected=%d failed=%d events=%d deliveries=%d missing=%d ended=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
                n, connected.get(), failed.get(), events, count, missing, ended.get(), p50, p99, max);
    }

    static double pct(long[] sorted, int count, double p) {
        if (count == 0) return 0;
        return sorted[(int) Math.min(count - 1, Math.ceil(p / 100 * count) - 1)] / 1e6;
    }
}
