package dev.sluice.common;

import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.Csv;
import dev.sluice.support.S3Files;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operational metrics exist and move: imports, batch latency, rows by result, SSE, webhooks, Redis. */
@QuarkusTest
class MetricsTests {
    @Inject
    S3Files s3;

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void importMetricsCountRowsByResultAndTimeBatches() {
        String before = metrics();
        double created0 = value(before, "sluice_import_rows_total{result=\"created\"}");
        double rejected0 = value(before, "sluice_import_rows_total{result=\"rejected\"}");
        double batches0 = value(before, "sluice_import_batch_write_seconds_count");
        String p = prefix();
        StringBuilder csv = new StringBuilder(Csv.products(p, 250));
        csv.append(p).append("-bad,,,-1,1,true\n");
        completed(start(s3.put(utf8(csv.toString())), null));

        String after = metrics();
        assertThat(value(after, "sluice_import_rows_total{result=\"created\"}") - Math.max(0, created0))
                .isEqualTo(250);
        assertThat(value(after, "sluice_import_rows_total{result=\"rejected\"}") - Math.max(0, rejected0))
                .isEqualTo(1);
        assertThat(value(after, "sluice_import_batch_write_seconds_count") - Math.max(0, batches0))
                .isEqualTo(3);
        assertThat(after).contains("sluice_import_batch_write_seconds_bucket{le=");
        assertThat(value(after, "sluice_imports_running")).isZero();
        assertThat(value(after, "sluice_import_rows_per_second")).isZero(); // none running now
        assertThat(value(after, "sluice_sse_subscribers")).isGreaterThanOrEqualTo(0);
        assertThat(after).contains("sluice_redis_publish_failures_total");
    }
}
