package dev.sluice.imports;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.countWithPrefix;
import static dev.sluice.support.Imports.product;
import static dev.sluice.support.Imports.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Imports end to end: a file in the real S3 store → the real PostgreSQL catalog. Test batches are 100 rows. */
@QuarkusTest
class ImportResourceTests {
    private static final String PROBLEM = "application/problem+json";

    @Inject
    S3Files s3;

    @Test
    void importsAFileAndCountsEveryRow() {
        String p = prefix();
        String id = start(s3.put(utf8(Csv.products(p, 250))), null);
        JsonPath job = completed(id);
        assertThat(job.getLong("totalRows")).isEqualTo(250);
        assertThat(job.getLong("processedRows")).isEqualTo(250);
        assertThat(job.getLong("created")).isEqualTo(250);
        assertThat(job.getLong("bytesRead")).isEqualTo(job.getLong("bytesTotal"));
        assertThat(job.getString("encoding")).isEqualTo("UTF-8");
        assertThat(job.getString("options.mode")).isEqualTo("apply");
        assertThat(countWithPrefix(p)).isEqualTo(250);
        Map<String, Object> row = product(p + "-00012");
        assertThat(row.get("name")).isEqualTo("Item 12");
        assertThat(row.get("description")).isEqualTo("Desc, with comma");
        assertThat(((Number) row.get("price")).doubleValue()).isCloseTo(12.2, within(1e-6));
        assertThat(row.get("quantity")).isEqualTo(12);

        // The same file again changes nothing.
        JsonPath again = completed(start(s3.put(utf8(Csv.products(p, 250))), null));
        assertThat(again.getLong("unchanged")).isEqualTo(250);
        assertThat(again.getLong("created") + again.getLong("updated")).isZero();
        assertThat(product(p + "-00012").get("version")).isEqualTo(0);
    }

    @Test
    void lastRowWinsAcrossABatchBoundaryIgnoringCase() {
        String p = prefix();
        StringBuilder csv = new StringBuilder(Csv.HEADER);
        csv.append(p).append("-dup,First,,1.00,1,true\n");
        for (int i = 0; i < 150; i++) csv.append(p).append("-f").append(i).append(",Filler,,1,1,true\n");
        csv.append(p.toLowerCase()).append("-DUP,Last,,9.99,9,false\n"); // batch 2 (batches hold 100 rows)
        csv.append(p).append("-same,A,,1,1,true\n").append(p).append("-SAME,B,,2,2,true\n"); // same batch
        JsonPath job = completed(start(s3.put(utf8(csv.toString())), null));
        Map<String, Object> dup = product(p + "-dup");
        assertThat(dup.get("sku")).isEqualTo(p.toLowerCase() + "-DUP");
        assertThat(dup.get("name")).isEqualTo("Last");
        assertThat(dup.get("active")).isEqualTo(false);
        assertThat(product(p + "-same").get("name")).isEqualTo("B");
        assertThat(product(p + "-same").get("sku")).isEqualTo(p + "-SAME");
        // Every row counted once: 152 distinct SKUs created, 2 repeats.
        assertThat(job.getLong("created")).isEqualTo(152);
        assertThat(job.getLong("duplicates")).isEqualTo(2);
        assertThat(job.getLong("processedRows")).isEqualTo(154);
        assertThat(countWithPrefix(p)).isEqualTo(152);
    }

    @Test
    void bomSemicolonsCrlfAndQuotedNewlines() {
        String p = prefix();
        String csv = "\uFEFFSKU ; Name ;Description;Price;Quantity;Active\r\n"
                + p + "-1;\"Kettle; steel\";\"Line one\r\nline two\";1,5;3;yes\r\n"
                + "\r\n"
                + p + "-2;\"Say \"\"hi\"\"\";;;;no\r\n";
        JsonPath job = completed(start(s3.put(utf8(csv)), Map.of("mapping", Map.of("price", "Price"))));
        assertThat(job.getLong("rejected")).as("1,5 is not a number here").isEqualTo(1);
        Map<String, Object> two = product(p + "-2");
        assertThat(two.get("name")).isEqualTo("Say \"hi\"");
        assertThat(two.get("active")).isEqualTo(false);
        assertThat(two.get("quantity")).isEqualTo(0);
        as(TestTokens.viewer())
                .get("/api/imports/{id}/errors", job.getString("id"))
                .then()
                .statusCode(200)
                .body(
                        "items[0].line",
                        equalTo(2),
                        "items[0].column",
                        equalTo("Price"),
                        "items[0].value",
                        equalTo("1,5"));

        String fixed =
                "\uFEFFsku;name;description;price\r\n" + p + "-1;\"Kettle; steel\";\"Line one\r\nline two\";1.5\r\n";
        completed(start(s3.put(utf8(fixed)), null));
        Map<String, Object> one = product(p + "-1");
        assertThat(one.get("name")).isEqualTo("Kettle; steel");
        assertThat(one.get("description")).isEqualTo("Line one\r\nline two");
    }

    @Test
    void invalidUtf8FallsBackToWindows1252AndSaysSo() {
        String p = prefix();
        byte[] csv = ("sku,name\n" + p + "-1,Caf\u00e9 cr\u00e8me\n").getBytes(Charset.forName("windows-1252"));
        JsonPath job = completed(start(s3.put(csv), null));
        assertThat(job.getString("encoding")).isEqualTo("windows-1252");
        assertThat(job.getString("notes")).contains("Windows-1252");
        assertThat(product(p + "-1").get("name")).isEqualTo("Café crème");
        // Valid UTF-8 stays UTF-8.
        JsonPath utf = completed(start(s3.put(utf8("sku,name\n" + p + "-2,Über Café\n")), null));
        assertThat(utf.getString("encoding")).isEqualTo("UTF-8");
        assertThat(product(p + "-2").get("name")).isEqualTo("Über Café");
    }

    @Test
    void anExplicitEncodingIsUsed() {
        String p = prefix();
        byte[] csv = ("sku|name\n" + p + "-1|Gr\u00fc\u00dfe\n").getBytes(Charset.forName("ISO-8859-1"));
        JsonPath job = completed(start(s3.put(csv), Map.of("encoding", "ISO-8859-1", "delimiter", "|")));
        assertThat(job.getString("encoding")).isEqualTo("ISO-8859-1");
        assertThat(product(p + "-1").get("name")).isEqualTo("Grüße");
    }

    @Test
    void wooCommerceExportImportsWithAMapping() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("src/test/resources/samples/woocommerce-sample-products.csv"));
        as(TestTokens.admin()).delete("/api/products"); // the sample's SKUs are fixed: start clean
        JsonPath job = completed(start(s3.put(file), Map.of("mapping", Imports.WOO_MAPPING)));
        assertThat(job.getLong("created")).isEqualTo(25);
        assertThat(job.getLong("rejected")).isZero();
        Map<String, Object> pennant = product("wp-pennant");
        assertThat(pennant.get("name")).isEqualTo("WordPress Pennant");
        assertThat(((Number) pennant.get("price")).doubleValue()).isCloseTo(11.05, within(1e-6));
        assertThat(product("woo-vneck-tee").get("price"))
                .as("empty price: not given")
                .isNull();
        assertThat(product("woo-hoodie-red").get("name")).isEqualTo("Hoodie - Red, No");
        assertThat(product("WOO-TSHIRT-LOGO").get("sku")).isEqualTo("Woo-tshirt-logo");
    }

    @Test
    void dryRunReportsButWritesNothing() {
        String p = prefix();
        String csv = Csv.products(p, 120) + p + "-bad,,,abc,-1,maybe\n";
        JsonPath job = completed(start(s3.put(utf8(csv)), Map.of("mode", "dry-run")));
        assertThat(job.getLong("created")).isEqualTo(120);
        assertThat(job.getLong("rejected")).isEqualTo(1);
        assertThat(countWithPrefix(p)).isZero();
        as(TestTokens.viewer())
                .get("/api/imports/{id}/errors", job.getString("id"))
                .then()
                .body("items.column", hasItems("name", "price", "quantity", "active"));
    }

    @Test
    void abortLeavesTheTableUntouchedWhenOneRowIsBad() {
        String p = prefix();
        completed(start(s3.put(utf8(Csv.products(p, 10))), null)); // existing products must stay as they are
        StringBuilder csv = new StringBuilder(Csv.products(p, 300).replace("Item 3,", "Changed 3,"));
        csv.append(p).append("-bad,Bad row,,-5,1,true\n"); // in the 4th batch
        JsonPath job = Imports.await(start(s3.put(utf8(csv.toString())), Map.of("onError", "abort")));
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("errorMessage")).contains("nothing was imported");
        assertThat(job.getLong("rejected")).isEqualTo(1);
        assertThat(job.getLong("created")).isZero();
        assertThat(countWithPrefix(p)).isEqualTo(10);
        assertThat(product(p + "-00003").get("name")).isEqualTo("Item 3");
        // Without the bad row, abort mode applies everything.
        JsonPath ok = completed(start(s3.put(utf8(Csv.products(p, 300))), Map.of("onError", "abort")));
        assertThat(ok.getLong("created")).isEqualTo(290);
        assertThat(countWithPrefix(p)).isEqualTo(300);
    }

    @Test
    void skipKeepsValidRowsAndReportsEveryRejectedRow() {
        String p = prefix();
        String csv = Csv.HEADER
                + p + "-1,Good,,1,1,true\n"
                + p + "-2,,,1,1,true\n" // line 3: empty name
                + p + "-3,Bad price,,abc,1,true\n" // line 4
                + p + "-4,Negative,,1,-4,true\n" // line 5
                + "X".repeat(101) + ",Long sku,,1,1,true\n" // line 6
                + p + "-5,\"Broken \"quote\",,1,1,true\n" // line 7: malformed
                + p + "-6,Good too,,2,2,no\n";
        JsonPath job = completed(start(s3.put(utf8(csv)), null));
        assertThat(job.getLong("created")).isEqualTo(2);
        assertThat(job.getLong("rejected")).isEqualTo(5);
        String id = job.getString("id");
        as(TestTokens.viewer())
                .get("/api/imports/{id}/errors", id)
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(5), "items.line", hasItems(3, 4, 5, 6, 7))
                .body("items.find { it.line == 4 }.column", equalTo("price"))
                .body("items.find { it.line == 4 }.value", equalTo("abc"))
                .body("items.find { it.line == 5 }.reason", containsString("greater than or equal to 0"));
        String report = as(TestTokens.viewer())
                .accept("text/csv")
                .get("/api/imports/{id}/errors.csv", id)
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .extract()
                .asString();
        List<String> lines = report.lines().toList();
        assertThat(lines.getFirst()).isEqualTo("sku,name,description,price,quantity,active,line,error");
        assertThat(lines).contains(p + "-3,Bad price,,abc,1,true,4,price: is not a number");
        assertThat(lines).hasSize(6);
    }

    @Test
    void nulBytesRejectTheirRowAndFormulasAreNeutralisedInTheReport() {
        String p = prefix();
        String csv = Csv.HEADER
                + p + "-1,Good,,1,1,true\n"
                + p + "-2,Bad\u0000name,,1,1,true\n" // line 3: PostgreSQL can't store NUL
                + p + "-3,=HYPERLINK(\"\"x\"\"),,-1,1,true\n"; // line 4: invalid price, formula-looking name
        JsonPath job = completed(start(s3.put(utf8(csv)), null));
        assertThat(job.getLong("created")).isEqualTo(1);
        assertThat(job.getLong("rejected")).isEqualTo(2);
        String id = job.getString("id");
        as(TestTokens.viewer())
                .get("/api/imports/{id}/errors", id)
                .then()
                .statusCode(200)
                .body("items.find { it.line == 3 }.reason", containsString("NUL"));
        String report = as(TestTokens.viewer())
                .accept("text/csv")
                .get("/api/imports/{id}/errors.csv", id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(report).contains(p + "-2,Bad\uFFFDname,").contains("'=HYPERLINK");
    }

    @Test
    void missingColumnsAndEmptyFilesAre422() {
        as(TestTokens.editor())
                .body(Map.of("objectKey", s3.put(utf8("code,title\nA,B\n"))))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("columnsFound", equalTo(List.of("code", "title")), "columnsMissing", equalTo(List.of("sku")));
        as(TestTokens.editor())
                .body(Map.of("objectKey", s3.put(new byte[0])))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .contentType(PROBLEM);
        as(TestTokens.editor())
                .body(Map.of(
                        "objectKey",
                        s3.put(utf8("code,title\n")),
                        "options",
                        Map.of("mapping", Map.of("sku", "code", "name", "title", "price", "cost"))))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .body("columnsMissing", equalTo(List.of("cost")));
        as(TestTokens.editor())
                .body(Map.of("objectKey", "test/never-uploaded.csv"))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .contentType(PROBLEM);
    }

    @Test
    void headerOnlyCompletesWithNoRows() {
        JsonPath job = completed(start(s3.put(utf8(Csv.HEADER)), null));
        assertThat(job.getLong("totalRows")).isZero();
    }

    @Test
    void badOptionsAre400WithFieldDetails() {
        as(TestTokens.editor())
                .body(Map.of(
                        "objectKey",
                        "x.csv",
                        "options",
                        Map.of(
                                "mode",
                                "yolo",
                                "onError",
                                "ignore",
                                "delimiter",
                                "#",
                                "encoding",
                                "klingon",
                                "mapping",
                                Map.of("colour", "Color"))))
                .post("/api/imports")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body(
                        "errors.field",
                        hasItems(
                                "options.mode",
                                "options.onError",
                                "options.delimiter",
                                "options.encoding",
                                "options.mapping.colour"));
    }

    @Test
    void viewersWatchButDoNotImport() {
        as(TestTokens.viewer())
                .body(Map.of("objectKey", "x.csv"))
                .post("/api/imports")
                .then()
                .statusCode(403);
        as(TestTokens.viewer()).get("/api/imports").then().statusCode(200).body("items.status", hasItem("completed"));
        // A filter word outside the closed set is refused, naming the words it takes, not answered with an empty page.
        as(TestTokens.viewer())
                .queryParam("status", "bogus")
                .get("/api/imports")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "errors[0].field",
                        equalTo("status"),
                        "errors[0].message",
                        equalTo("must be one of queued, running, completed, failed, cancelled"),
                        "errors[0].rejectedValue",
                        equalTo("bogus"));
        as(TestTokens.viewer())
                .queryParam("kind", "imports")
                .get("/api/imports")
                .then()
                .statusCode(400)
                .body(
                        "errors[0].field",
                        equalTo("kind"),
                        "errors[0].message",
                        equalTo("must be one of import, undo, delete-all"));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
