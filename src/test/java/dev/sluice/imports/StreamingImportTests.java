package dev.sluice.imports;

import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.TestTokens;
import dev.sluice.upload.MultipartUpload;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV sent through the server: streamed into S3 in parts, then imported. */
@QuarkusTest
class StreamingImportTests {
    private static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URL base;

    @Test
    void rawCsvBodyWithOptionsInTheQuery() {
        String p = prefix();
        String id = given().auth()
                .oauth2(TestTokens.editor())
                .contentType("text/csv")
                .queryParam("filename", "catalog.csv")
                .queryParam("mode", "dry-run")
                .body(utf8(Csv.products(p, 150)))
                .post("/api/imports")
                .then()
                .statusCode(202)
                .header("Location", containsString("/api/imports/"))
                .body(
                        "filename",
                        equalTo("catalog.csv"),
                        "options.mode",
                        equalTo("dry-run"),
                        "status",
                        equalTo("queued"))
                .extract()
                .path("id");
        JsonPath job = Imports.completed(id);
        assertThat(job.getLong("created")).isEqualTo(150);
        assertThat(Imports.countWithPrefix(p)).as("dry run").isZero();
    }

    @Test
    void multipartFormWithAnOptionsField() {
        String p = prefix();
        String csv = "Code;Title\n" + p + "-1;One\n" + p + "-2;Two\n";
        String id = given().auth()
                .oauth2(TestTokens.editor())
                .multiPart(
                        "options",
                        "{\"mapping\":{\"sku\":\"Code\",\"name\":\"Title\"},\"onError\":\"abort\"}",
                        "application/json")
                .multiPart("file", "legacy.csv", utf8(csv), "text/csv")
                .post("/api/imports")
                .then()
                .statusCode(202)
                .body("filename", equalTo("legacy.csv"))
                .extract()
                .path("id");
        assertThat(Imports.completed(id).getLong("created")).isEqualTo(2);
        assertThat(Imports.product(p + "-2").get("name")).isEqualTo("Two");
    }

    @Test
    void aBodyLargerThanOnePartStreamsInSeveral() {
        String p = prefix();
        StringBuilder csv = new StringBuilder("sku,name,description\n");
        String blurb = "y".repeat(10_000);
        for (int i = 0; i < 900; i++)
            csv.append(p).append('-').append(i).append(",N,").append(blurb).append('\n');
        byte[] body = utf8(csv.toString());
        assertThat(body.length).isGreaterThan(MultipartUpload.PART_SIZE);
        String id = given().auth()
                .oauth2(TestTokens.editor())
                .contentType("text/csv")
                .body(body)
                .post("/api/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath job = Imports.completed(id);
        assertThat(job.getLong("bytesTotal")).isEqualTo(body.length);
        assertThat(job.getLong("created")).isEqualTo(900);
    }

    @Test
    void refusalsAreProblems() {
        byte[] ok = utf8(Csv.products(prefix(), 2));
        given().contentType("text/csv")
                .body(ok)
                .post("/api/imports")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType("text/csv")
                .body(ok)
                .post("/api/imports")
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        given().auth()
                .oauth2(TestTokens.editor())
                .contentType("text/csv")
                .body(utf8("a,b\n1,2\n"))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("columnsMissing", equalTo(List.of("sku")));
        given().auth()
                .oauth2(TestTokens.editor())
                .contentType("text/csv")
                .body(new byte[0])
                .post("/api/imports")
                .then()
                .statusCode(422)
                .contentType(PROBLEM);
        given().auth()
                .oauth2(TestTokens.editor())
                .contentType("text/csv")
                .queryParam("mode", "fast")
                .body(ok)
                .post("/api/imports")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("options.mode"));
        given().auth()
                .oauth2(TestTokens.editor())
                .multiPart("other", "x")
                .post("/api/imports")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("file"));
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeAnyByteIsRead() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/imports HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                            + "Authorization: Bearer " + TestTokens.editor()
                            + "\r\nContent-Length: 600000000\r\n\r\nsku,name\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            String response = new String(buf, 0, Math.max(n, 0), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json");
        }
    }
}
