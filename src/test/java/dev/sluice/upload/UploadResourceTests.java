package dev.sluice.upload;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Presigned uploads straight to the real S3-compatible store, as an SPA or mobile client does them. */
@QuarkusTest
class UploadResourceTests {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    UploadService uploads;

    @Inject
    Pool pool;

    private static JsonPath ticket(String filename, long size) {
        return as(TestTokens.editor())
                .body(Map.of("filename", filename, "size", size, "contentType", "text/csv"))
                .post("/api/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static HttpResponse<String> put(String url, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder req =
                HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(req::header);
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void singlePresignedPutThenImportByUploadId() throws Exception {
        String p = prefix();
        byte[] file = Csv.products(p, 42).getBytes(StandardCharsets.UTF_8);
        JsonPath t = ticket("small products.csv", file.length);
        assertThat(t.getString("method")).isEqualTo("PUT");
        assertThat(t.getString("objectKey")).endsWith("/small_products.csv");
        assertThat(t.getString("expiresAt")).isNotNull();
        HttpResponse<String> sent = put(t.getString("url"), file, t.getMap("headers"));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        as(TestTokens.editor())
                .body(Map.of())
                .post("/api/uploads/{id}/complete", t.getString("uploadId"))
                .then()
                .statusCode(200)
                .body("status", equalTo("completed"), "size", equalTo(file.length));
        String id = as(TestTokens.editor())
                .body(Map.of("uploadId", t.getString("uploadId")))
                .post("/api/imports")
                .then()
                .statusCode(202)
                .body("filename", equalTo("small products.csv"))
                .extract()
                .path("id");
        assertThat(Imports.completed(id).getLong("created")).isEqualTo(42);
    }

    @Test
    void completingBeforeUploadingOrWithTheWrongSizeIs422() throws Exception {
        byte[] file = "sku,name\nA,B\n".getBytes(StandardCharsets.UTF_8);
        JsonPath t = ticket("x.csv", file.length + 5);
        as(TestTokens.editor())
                .body(Map.of())
                .post("/api/uploads/{id}/complete", t.getString("uploadId"))
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        put(t.getString("url"), file, t.getMap("headers"));
        as(TestTokens.editor())
                .body(Map.of())
                .post("/api/uploads/{id}/complete", t.getString("uploadId"))
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("size"));
    }

    @Test
    void largeFilesGoInPresignedPartsSentInParallel() throws Exception {
        // Over the test threshold (6 MB) in 5 MB parts: few rows, long descriptions.
        String p = prefix();
        StringBuilder csv = new StringBuilder("sku,name,description\n");
        String blurb = "x".repeat(10_000);
        for (int i = 0; i < 700; i++)
            csv.append(p)
                    .append('-')
                    .append(i)
                    .append(",Item ")
                    .append(i)
                    .append(',')
                    .append(blurb)
                    .append('\n');
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
        JsonPath t = ticket("big.csv", file.length);
        long partSize = t.getLong("partSize");
        List<Map<String, Object>> parts = t.getList("parts");
        assertThat(partSize).isEqualTo(5L * 1024 * 1024);
        assertThat(parts).hasSize((int) ((file.length + partSize - 1) / partSize));
        assertThat(t.getString("url")).isNull();

        List<CompletableFuture<Map<String, Object>>> sends = new ArrayList<>();
        for (Map<String, Object> part : parts) {
            int n = (Integer) part.get("partNumber");
            byte[] chunk =
                    Arrays.copyOfRange(file, (int) ((n - 1) * partSize), (int) Math.min(file.length, n * partSize));
            sends.add(HTTP.sendAsync(
                            HttpRequest.newBuilder(URI.create((String) part.get("url")))
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        return Map.of(
                                "partNumber",
                                n,
                                "etag",
                                r.headers().firstValue("ETag").orElseThrow());
                    }));
        }
        List<Map<String, Object>> done =
                sends.stream().map(CompletableFuture::join).toList();

        // A wrong ETag is caught before S3 assembles anything.
        List<Map<String, Object>> tampered = new ArrayList<>(done);
        tampered.set(0, Map.of("partNumber", 1, "etag", "\"0000\""));
        as(TestTokens.editor())
                .body(Map.of("parts", tampered))
                .post("/api/uploads/{id}/complete", t.getString("uploadId"))
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("parts[1].etag"));
        as(TestTokens.editor())
                .body(Map.of("parts", done.subList(1, done.size())))
                .post("/api/uploads/{id}/complete", t.getString("uploadId"))
                .then()
                .statusCode(422);

        as(TestTokens.editor())
                .body(Map.of("parts", done))
                .post("/api/uploads/{id}/complete", t.getString("uploadId"))
                .then()
                .statusCode(200)
                .body("status", equalTo("completed"));
        String id = as(TestTokens.editor())
                .body(Map.of("uploadId", t.getString("uploadId")))
                .post("/api/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath job = Imports.completed(id);
        assertThat(job.getLong("created")).isEqualTo(700);
        assertThat(job.getLong("bytesTotal")).isEqualTo(file.length);
        assertThat(Imports.product(p + "-699").get("description")).isEqualTo(blurb);
    }

    @Test
    void abandonedMultipartUploadsAreAborted() throws Throwable {
        JsonPath t = ticket("abandoned.csv", 7L * 1024 * 1024);
        // As the scheduler runs it: on a Vert.x context.
        VertxContextSupport.subscribeAndAwait(
                () -> uploads.abortAbandoned(Instant.now().plusSeconds(60)));
        String status = pool.preparedQuery("select status from uploads where id = $1")
                .execute(Tuple.of(UUID.fromString(t.getString("uploadId"))))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString(0);
        assertThat(status).isEqualTo("aborted");
        as(TestTokens.editor())
                .body(Map.of())
                .post("/api/uploads/{id}/complete", t.getString("uploadId"))
                .then()
                .statusCode(409);
    }

    @Test
    void tooLargeIs413AndBadRequestsAre400() {
        as(TestTokens.editor())
                .body(Map.of("filename", "huge.csv", "size", 600L * 1024 * 1024))
                .post("/api/uploads")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        as(TestTokens.editor())
                .body(Map.of("size", -1))
                .post("/api/uploads")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("filename"), "errors.field", hasItem("size"));
        as(TestTokens.viewer())
                .body(Map.of("filename", "a.csv", "size", 1))
                .post("/api/uploads")
                .then()
                .statusCode(403);
        as(TestTokens.editor())
                .body(Map.of("uploadId", UUID.randomUUID()))
                .post("/api/imports")
                .then()
                .statusCode(404)
                .body("status", notNullValue());
    }
}
