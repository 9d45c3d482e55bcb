package dev.sluice.support;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A plain SSE client over a real HTTP connection: reads events until the stream ends or a predicate says stop. */
public final class SseClient {
    public record Event(String id, String name, String data) {}

    public record Result(int status, List<Event> events, List<String> comments, boolean endedByServer) {}

    private SseClient() {}

    public static Result read(String url, Map<String, String> headers, Predicate<Event> stopAfter, Duration timeout)
            throws Exception {
        HttpRequest.Builder req =
                HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "text/event-stream");
        headers.forEach(req::header);
        HttpResponse<InputStream> resp =
                HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        List<Event> events = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        if (resp.statusCode() != 200) {
            resp.body().close();
            return new Result(resp.statusCode(), events, comments, true);
        }
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String id = null, name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (System.currentTimeMillis() > deadline)
                    throw new AssertionError("SSE stream did not end in " + timeout);
                if (line.isEmpty()) {
                    if (!data.isEmpty() || name != null) {
                        Event e = new Event(id, name, data.toString());
                        events.add(e);
                        if (stopAfter != null && stopAfter.test(e)) return new Result(200, events, comments, false);
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(5).strip());
                }
            }
        }
        return new Result(200, events, comments, true);
    }
}
