package dev.sluice.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder that a test can cut and restore, to take a shared service (Redis) away from the
 * application under test without stopping it for everyone else on the machine. Cut, it drops every
 * open connection and closes new ones as soon as they arrive, as a dead server would look to a client.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    private TcpProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port) and forwards to {@code host:upstreamPort}. */
    public static TcpProxy start(int port, String host, int upstreamPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        TcpProxy proxy = new TcpProxy(server, new InetSocketAddress(host, upstreamPort));
        Thread.ofVirtual().name("tcp-proxy-accept").start(proxy::acceptLoop);
        return proxy;
    }

    /** A port nothing listens on right now, for a proxy to be started on later. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Drops every connection, and every new one until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket s : open) closeQuietly(s);
    }

    public void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket remote = new Socket();
        try {
            remote.connect(upstream, 2000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(remote);
            return;
        }
        open.add(client);
        open.add(remote);
        if (cut) cut(); // cut while this one was connecting
        Thread.ofVirtual().start(() -> pump(client, remote));
        Thread.ofVirtual().start(() -> pump(remote, client));
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // one side went away: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
