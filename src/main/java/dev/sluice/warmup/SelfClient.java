package dev.sluice.warmup;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to this instance, on a blocking socket, for the warm-up's own
 * thread. Deliberately not Vert.x's client: that one runs Netty's channel, buffer and pipeline code
 * as a client, on the same event loops, and the JIT then compiles those shared classes for both
 * sides (measured: the server's sustained rate after such a warm-up was a third lower than after
 * one from an outside client). This does the least a request needs: write prepared bytes, read the
 * status, skip the body.
 */
final class SelfClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] line = new byte[8192];

    SelfClient(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16384);
    }

    /** A GET, as bytes to send as they are; without an Authorization header when {@code authorization} is null. */
    static byte[] get(String path, String authorization) {
        return get(path, authorization, "application/json");
    }

    static byte[] get(String path, String authorization, String accept) {
        return (head("GET", path, authorization, accept) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A POST of a JSON body. */
    static byte[] post(String path, String authorization, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return (head("POST", path, authorization, "application/json")
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String head(String method, String path, String authorization, String accept) {
        // The User-Agent names these requests in access logs.
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: sluice-warm-up\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Accept: " + accept + "\r\n";
    }

    /** "GET /api/…", for messages. */
    static String requestLine(byte[] request) {
        String s = new String(request, 0, Math.min(request.length, 200), StandardCharsets.US_ASCII);
        return s.substring(0, Math.max(0, s.indexOf(" HTTP/1.1")));
    }

    /** Sends the request and reads the whole response; returns its status. */
    int exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        int status = -1;
        long length = 0;
        boolean chunked = false;
        for (int n; (n = readLine()) > 0; ) {
            String header = new String(line, 0, n, StandardCharsets.US_ASCII);
            if (status < 0) {
                status = Integer.parseInt(header.substring(9, 12));
            } else if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(header.substring(15).trim());
            } else if (header.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                chunked = header.toLowerCase().contains("chunked");
            }
        }
        if (status < 0) throw new EOFException("the connection closed before a response");
        if (!chunked) {
            skip(length);
            return status;
        }
        for (long size; (size = Long.parseLong(lineText().split(";")[0].trim(), 16)) > 0; ) {
            skip(size);
            readLine();
        }
        while (readLine() > 0) {} // trailers
        return status;
    }

    private String lineText() throws IOException {
        return new String(line, 0, readLine(), StandardCharsets.US_ASCII);
    }

    /** One header line into {@link #line}, without its CRLF; its length (0 for the empty line). */
    private int readLine() throws IOException {
        int n = 0;
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new EOFException("the connection closed mid-response");
            if (b != '\r' && n < line.length) line[n++] = (byte) b;
        }
        return n;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException("the connection closed mid-body");
                s = 1;
            }
            n -= s;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
