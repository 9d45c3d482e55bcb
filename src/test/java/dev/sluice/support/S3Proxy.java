package dev.sluice.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of the real S3 store, which a test can take down (every connection is reset,
 * as from a replica whose S3 endpoint does not answer) or make reset downloads part-way (an S3
 * connection lost mid-import). Requests and responses are the store's own, byte for byte.
 */
public final class S3Proxy {
    /** What happens to connections. */
    public enum Mode {
        PASS,
        DOWN,
        RESET_DOWNLOADS
    }

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicLong resetAfter = new AtomicLong(Long.MAX_VALUE);
    private volatile Mode mode = Mode.PASS;
    private final AtomicInteger resetsLeft = new AtomicInteger();

    private S3Proxy(int port, URI upstream) throws IOException {
        this.upstreamHost = upstream.getHost();
        this.upstreamPort = upstream.getPort() < 0 ? 80 : upstream.getPort();
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread.ofVirtual().name("s3-proxy-accept").start(this::acceptLoop);
    }

    /** Listens on {@code port} (loopback) and forwards to {@code upstream} (http://host:port). */
    public static S3Proxy start(int port, URI upstream) {
        try {
            return new S3Proxy(port, upstream);
        } catch (IOException e) {
            throw new IllegalStateException("S3 proxy could not listen on " + port, e);
        }
    }

    public void pass() {
        mode = Mode.PASS;
    }

    /** Resets every open connection and every new one. */
    public void down() {
        mode = Mode.DOWN;
        open.forEach(S3Proxy::abort);
    }

    /**
     * Resets a connection once a response on it exceeds {@code bytes} (HEADs and small GETs pass), for
     * the next {@code times} such responses; then passes again. The SDK retries a request whose
     * response broke before it was handed over (4 attempts by default), so breaking one run takes 4.
     */
    public void resetDownloadsAfter(long bytes, int times) {
        resetAfter.set(bytes);
        resetsLeft.set(times);
        mode = Mode.RESET_DOWNLOADS;
    }

    /** Downloads reset so far. */
    public int resets() {
        return resets.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.DOWN) {
                abort(client);
                continue;
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream;
        try {
            upstream = new Socket(upstreamHost, upstreamPort);
        } catch (IOException e) {
            abort(client);
            return;
        }
        open.add(client);
        open.add(upstream);
        // Bytes of the response to the latest request on this connection (keep-alive carries several).
        AtomicLong responseBytes = new AtomicLong();
        Thread.ofVirtual().start(() -> pipe(client, upstream, responseBytes, false));
        pipe(upstream, client, responseBytes, true);
    }

    private void pipe(Socket from, Socket to, AtomicLong responseBytes, boolean response) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (!response) {
                    responseBytes.set(0);
                } else if (mode == Mode.RESET_DOWNLOADS && responseBytes.addAndGet(n) > resetAfter.get()) {
                    if (resetsLeft.decrementAndGet() <= 0) mode = Mode.PASS;
                    resets.incrementAndGet();
                    abort(from);
                    abort(to);
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // The other side went away, or we reset it.
        } finally {
            open.remove(from);
            open.remove(to);
            abort(from);
            abort(to);
        }
    }

    /** Closes with a TCP reset (SO_LINGER 0), as a dead or refusing peer looks to the client. */
    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** An ephemeral loopback port that is free now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
