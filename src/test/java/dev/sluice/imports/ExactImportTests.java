package dev.sluice.imports;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.product;
import static dev.sluice.support.Imports.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exact imports against the real catalog: each SKU is written at most once per import, with its last
 * valid row; a re-import writes nothing; a column the file lacks is left as stored. Test batches are
 * 100 rows, so repeats below cross batch boundaries.
 */
@QuarkusTest
class ExactImportTests {
    @Inject
    S3Files s3;

    @Inject
    Pool pool;

    /** 300 rows over 3 batches: SKUs 0..199, then 100 repeats of SKUs 0..99 in another letter case and with new names. */
    private static String repeatingFile(String p) {
        StringBuilder csv = new StringBuilder("sku,name,description,price,quantity,active\n");
        for (int i = 0; i < 200; i++)
            csv.append(p).append("-a").append(i).append(",First ").append(i).append(",,1.00,1,true\n");
        for (int i = 0; i < 100; i++)
            csv.append(p.toLowerCase())
                    .append("-A")
                    .append(i)
                    .append(",Last ")
                    .append(i)
                    .append(",,2.00,2,false\n");
        return csv.toString();
    }

    @Test
    void aSkuRepeatedAcrossBatchesIsWrittenOnceWithItsLastRow() {
        String p = prefix();
        JsonPath job = completed(start(s3.put(utf8(repeatingFile(p))), null));
        assertThat(job.getLong("created")).isEqualTo(200);
        assertThat(job.getLong("updated")).isZero();
        assertThat(job.getLong("duplicates")).isEqualTo(100);
        assertThat(job.getLong("processedRows")).isEqualTo(300);
        assertThat(job.getString("phase")).isEqualTo("write");
        assertThat(job.getLong("scannedBytes")).isEqualTo(job.getLong("bytesTotal"));
        Map<String, Object> repeated = product(p + "-a7");
        assertThat(repeated.get("name")).isEqualTo("Last 7");
        assertThat(repeated.get("sku"))
                .as("the stored SKU takes the last row's letter case")
                .isEqualTo(p.toLowerCase() + "-A7");
        assertThat(repeated.get("active")).isEqualTo(false);
        // A fresh import into an empty catalog leaves every product at its first version.
        assertThat(versions(p)).isEqualTo(Map.of(0L, 200L));
    }

    @Test
    void reImportingAFileWithRepeatsAndCaseVariantsWritesNothing() {
        String p = prefix();
        String file = repeatingFile(p);
        completed(start(s3.put(utf8(file)), null));
        Map<String, Object> before = product(p + "-a7");
        JsonPath again = completed(start(s3.put(utf8(file)), null));
        assertThat(again.getLong("created")).isZero();
        assertThat(again.getLong("updated")).isZero();
        assertThat(again.getLong("unchanged")).isEqualTo(200);
        assertThat(again.getLong("duplicates")).isEqualTo(100);
        assertThat(versions(p)).isEqualTo(Map.of(0L, 200L));
        assertThat(product(p + "-a7").get("updatedAt")).isEqualTo(before.get("updatedAt"));
        assertThat(lastImports(p)).as("no product was written by the re-import").doesNotContain(again.getString("id"));
    }

    @Test
    void aLaterInvalidRowDoesNotSupersedeTheLastValidOne() {
        String p = prefix();
        String file = "sku,name,price\n" + p + "-1,Good,1.00\n" + p + "-2,Bad first,abc\n" + p + "-1,Broken later,-5\n"
                + p + "-2,Good later,2.00\n";
        JsonPath job = completed(start(s3.put(utf8(file)), null));
        assertThat(product(p + "-1").get("name")).isEqualTo("Good");
        assertThat(product(p + "-2").get("name")).isEqualTo("Good later");
        assertThat(job.getLong("created")).isEqualTo(2);
        assertThat(job.getLong("rejected")).isEqualTo(2);
        assertThat(job.getLong("duplicates")).isZero();
        assertThat(job.getLong("processedRows")).isEqualTo(4);
    }

    @Test
    void aColumnAbsentFromTheFileIsLeftUntouched() {
        String p = prefix();
        String id = create(Map.of(
                "sku",
                p + "-1",
                "name",
                "Kettle",
                "description",
                "Steel, 1.7 l",
                "price",
                30,
                "quantity",
                7,
                "active",
                false));
        JsonPath job = completed(start(s3.put(utf8("sku,name,price\n" + p + "-1,Kettle,35.00\n")), null));
        assertThat(job.getLong("updated")).isEqualTo(1);
        as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .body(
                        "description",
                        equalTo("Steel, 1.7 l"),
                        "quantity",
                        equalTo(7),
                        "active",
                        equalTo(false),
                        "price",
                        equalTo(35.0f),
                        "version",
                        equalTo(1));
        // The same columns again: unchanged, judged on the columns the file has.
        JsonPath again = completed(start(s3.put(utf8("sku,name,price\n" + p + "-1,Kettle,35.00\n")), null));
        assertThat(again.getLong("unchanged")).isEqualTo(1);
        as(TestTokens.viewer()).get("/api/products/{id}", id).then().body("version", equalTo(1));
    }

    @Test
    void anEmptyCellInAPresentColumnClearsIt() {
        String p = prefix();
        String id = create(Map.of(
                "sku", p + "-1", "name", "Lamp", "description", "Brass", "price", 12, "quantity", 3, "active", false));
        completed(start(s3.put(utf8("sku,name,description,price,quantity,active\n" + p + "-1,Lamp,,,,\n")), null));
        as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .body(
                        "description",
                        equalTo(null),
                        "price",
                        equalTo(null),
                        "quantity",
                        equalTo(0),
                        "active",
                        equalTo(true));
    }

    @Test
    void aPriceFeedUpdatesExistingProductsAndRefusesUnknownSkusWithTheirLine() {
        String p = prefix();
        String id = create(Map.of(
                "sku", p + "-1", "name", "Mug", "description", "Blue", "price", 7, "quantity", 40, "active", true));
        String feed = "sku,price\n" + p + "-1,7.50\n" + p + "-NEW,3.00\n";
        JsonPath dry = completed(start(s3.put(utf8(feed)), Map.of("mode", "dry-run")));
        assertThat(dry.getLong("updated")).isEqualTo(1);
        assertThat(dry.getLong("rejected")).isEqualTo(1);
        as(TestTokens.viewer()).get("/api/products/{id}", id).then().body("price", equalTo(7.0f));

        JsonPath job = completed(start(s3.put(utf8(feed)), null));
        assertThat(job.getLong("updated")).isEqualTo(1);
        assertThat(job.getLong("rejected")).isEqualTo(1);
        assertThat(job.getLong("processedRows")).isEqualTo(2);
        as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .body(
                        "price",
                        equalTo(7.5f),
                        "name",
                        equalTo("Mug"),
                        "description",
                        equalTo("Blue"),
                        "quantity",
                        equalTo(40));
        assertThat(product(p + "-NEW")).isNull();
        as(TestTokens.viewer())
                .get("/api/imports/{id}/errors", job.getString("id"))
                .then()
                .statusCode(200)
                .body(
                        "items[0].line",
                        equalTo(3),
                        "items[0].column",
                        equalTo("name"),
                        "items[0].reason",
                        equalTo(ProductWrites.NO_NAME_REASON));
        String report = as(TestTokens.viewer())
                .accept("text/csv")
                .get("/api/imports/{id}/errors.csv", job.getString("id"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(report).contains(p + "-NEW,3.00");
    }

    @Test
    void aRepeatedSkuInAFileWithoutNamesIsRefusedOnceAndCountedOnce() {
        String p = prefix();
        String feed = "sku,price\n" + p + "-X,1.00\n" + p + "-x,2.00\n";
        JsonPath job = completed(start(s3.put(utf8(feed)), null));
        assertThat(job.getLong("rejected")).isEqualTo(1);
        assertThat(job.getLong("duplicates")).isEqualTo(1);
        assertThat(job.getLong("processedRows")).isEqualTo(2);
    }

    /** Creates a product through the API; returns its id. */
    private static String create(Map<String, Object> product) {
        return as(TestTokens.editor())
                .body(product)
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** version → how many of the prefix's products have it. */
    private Map<Long, Long> versions(String p) {
        Map<Long, Long> out = new HashMap<>();
        for (Row r : pool.preparedQuery(
                        "select version, count(*) from products where strpos(lower(sku), lower($1)) = 1 group by version")
                .execute(Tuple.of(p))
                .await()
                .indefinitely()) {
            out.put(r.getLong(0), r.getLong(1));
        }
        return out;
    }

    private List<String> lastImports(String p) {
        List<String> out = new ArrayList<>();
        for (Row r : pool.preparedQuery(
                        "select distinct last_import_id::text from products where strpos(lower(sku), lower($1)) = 1")
                .execute(Tuple.of(p))
                .await()
                .indefinitely()) {
            out.add(r.getString(0));
        }
        return out;
    }
}
