package dev.sluice.imports;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Imports.WOO_MAPPING;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.product;
import static dev.sluice.support.Imports.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.sluice.attribute.Attrs;
import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import dev.sluice.support.Workbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** XLSX imports end to end: workbooks from POI and LibreOffice in the real S3 store → the real catalog. */
@QuarkusTest
class XlsxImportTests {
    private static final String PROBLEM = "application/problem+json";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    S3Files s3;

    @Inject
    Pool pool;

    @Test
    void aPoiWorkbookImportsFromItsFirstVisibleSheetWithEveryKindOfCell() {
        String p = prefix();
        JsonPath job = completed(start(s3.put(Workbooks.catalog(p), "xlsx"), null));
        assertThat(job.getString("options.format")).isEqualTo("xlsx");
        assertThat(job.getLong("created")).isEqualTo(2);
        assertThat(job.getLong("rejected")).isEqualTo(2);
        assertThat(job.getLong("processedRows")).isEqualTo(4);
        assertThat(job.getLong("bytesRead")).isEqualTo(job.getLong("bytesTotal"));
        assertThat(job.getString("notes")).contains("Products");
        Map<String, Object> kettle = product(p + "-1");
        assertThat(((Number) kettle.get("price")).doubleValue()).isCloseTo(12.5, within(1e-9));
        assertThat(kettle.get("quantity")).isEqualTo(3);
        assertThat(kettle.get("active")).isEqualTo(true);
        assertThat(kettle.get("description")).isEqualTo("2024-03-01");
        Map<String, Object> lid = product(p + "-2");
        assertThat(lid.get("name")).as("a formula by its cached value").isEqualTo("Kettle lid");
        assertThat(((Number) lid.get("price")).doubleValue()).isCloseTo(25, within(1e-9));
        assertThat(lid.get("active")).isEqualTo(false);
        assertThat(lid.get("description")).isEqualTo("2024-03-01T09:30:00");
        assertThat(product(p + "-OLD")).as("the hidden sheet is not read").isNull();

        // The report's line is the sheet's row, and each reason names its cell.
        JsonPath errors = as(TestTokens.viewer())
                .get("/api/imports/{id}/errors", job.getString("id"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(errors.getList("items.line", Integer.class)).containsExactly(5, 6);
        assertThat(errors.getString("items[0].column")).isEqualTo("description");
        assertThat(errors.getString("items[0].reason")).isEqualTo("cell F5 holds an error (#DIV/0!)");
        assertThat(errors.getString("items[1].column")).isEqualTo("price");
        assertThat(errors.getString("items[1].reason")).isEqualTo("cell C6 is not a number");
        String csv = as(TestTokens.viewer())
                .accept("text/csv")
                .get("/api/imports/{id}/errors.csv", job.getString("id"))
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .extract()
                .asString();
        assertThat(csv.lines().toList())
                .containsExactly(
                        "sku,name,price,quantity,active,description,line,error",
                        p + "-3,Skipped price,,7,,#DIV/0!,5,description: cell F5 holds an error (#DIV/0!)",
                        p + "-4,Bad price,abc,1,,,6,price: cell C6 is not a number");

        // Re-importing the same workbook changes nothing.
        JsonPath again = completed(start(s3.put(Workbooks.catalog(p), "xlsx"), null));
        assertThat(again.getLong("unchanged")).isEqualTo(2);
        assertThat(again.getLong("created") + again.getLong("updated")).isZero();
    }

    @Test
    void theSheetOptionTakesANameOrAnIndexAndAnUnknownSheetIs422ListingThem() {
        String p = prefix();
        completed(start(s3.put(Workbooks.catalog(p), "xlsx"), Map.of("sheet", "extra")));
        assertThat(product(p + "-X").get("name")).isEqualTo("From the third sheet");
        completed(start(s3.put(Workbooks.catalog(p), "xlsx"), Map.of("sheet", "1")));
        assertThat(product(p + "-OLD").get("name")).isEqualTo("From the hidden sheet");
        as(TestTokens.editor())
                .body(Map.of("objectKey", s3.put(Workbooks.catalog(p), "xlsx"), "options", Map.of("sheet", "Prices")))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("title", equalTo("Unknown sheet"), "sheets", equalTo(List.of("Old", "Products", "Extra")));
    }

    @Test
    void aWorkbookSavedByLibreOfficeImports() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("src/test/resources/samples/libreoffice-products.xlsx"));
        JsonPath job = completed(start(s3.put(file, "xlsx"), Map.of("sheet", "Products")));
        assertThat(job.getLong("created")).isEqualTo(3);
        assertThat(job.getLong("rejected")).isEqualTo(1);
        Map<String, Object> kettle = product("LO-1");
        assertThat(((Number) kettle.get("price")).doubleValue()).as("€12.50").isCloseTo(12.5, within(1e-9));
        assertThat(kettle.get("active")).isEqualTo(true);
        assertThat(kettle.get("description")).isEqualTo("2024-03-01");
        assertThat(product("LO-2").get("name")).isEqualTo("Kettle lid");
        assertThat(product("LO-2").get("active")).isEqualTo(false);
        assertThat(product("LO-4").get("quantity")).isEqualTo(140);
        assertThat(product("LO-3")).as("its F5 holds #DIV/0!").isNull();
    }

    @Test
    void theWooCommerceSampleAsXlsxImportsExactlyAsTheCsvDoes() throws Exception {
        byte[] csv = Files.readAllBytes(Path.of("src/test/resources/samples/woocommerce-sample-products.csv"));
        byte[] xlsx = Files.readAllBytes(Path.of("src/test/resources/samples/woocommerce-sample-products.xlsx"));
        as(TestTokens.admin()).delete("/api/products");
        JsonPath fromCsv = completed(start(s3.put(csv), Map.of("mapping", WOO_MAPPING)));
        String csvTable = table();
        as(TestTokens.admin()).delete("/api/products");
        JsonPath fromXlsx = completed(start(s3.put(xlsx, "xlsx"), Map.of("mapping", WOO_MAPPING)));
        assertThat(table()).isEqualTo(csvTable);
        for (String count : List.of("created", "updated", "unchanged", "rejected", "duplicates", "processedRows"))
            assertThat(fromXlsx.getLong(count)).as(count).isEqualTo(fromCsv.getLong(count));
        assertThat(fromXlsx.getLong("created")).isEqualTo(25);
        // And the CSV over the XLSX's import changes nothing.
        assertThat(completed(start(s3.put(csv), Map.of("mapping", WOO_MAPPING))).getLong("unchanged"))
                .isEqualTo(25);
    }

    @Test
    void theWooCommerceSampleAsXlsxWithUnmappedCreateStoresItsOtherColumnsAsTheCsvWould() throws Exception {
        byte[] csv = Files.readAllBytes(Path.of("src/test/resources/samples/woocommerce-sample-products.csv"));
        byte[] xlsx = Files.readAllBytes(Path.of("src/test/resources/samples/woocommerce-sample-products.xlsx"));
        as(TestTokens.admin()).delete("/api/products");
        JsonPath job = completed(start(s3.put(xlsx, "xlsx"), Map.of("mapping", WOO_MAPPING, "unmapped", "create")));
        List<Map<String, Object>> unmapped = job.getList("unmappedColumns");
        List<String> codes =
                unmapped.stream().map(c -> (String) c.get("attribute")).toList();
        try {
            // 51 columns, 6 mapped to product fields: the 45 others each became a text attribute,
            // listed with a sample read from the sheet's first rows.
            assertThat(unmapped).hasSize(45);
            assertThat(codes).doesNotContainNull();
            assertThat(unmapped.stream().filter(c -> c.get("sample") != null)).hasSizeGreaterThan(20);
            assertThat(job.getLong("created")).isEqualTo(25);
            assertThat(job.getLong("rejected")).isZero();
            // The CSV of the same export now finds those attributes by label: every column feeds one
            // and every product is the sheet's. (Some text values differ: the sheet stored typed
            // cells, e.g. numbers in their shortest form, where the CSV carries the exporter's text.)
            JsonPath fromCsv = completed(start(s3.put(csv), Map.of("mapping", WOO_MAPPING)));
            assertThat(fromCsv.getList("unmappedColumns")).isEmpty();
            assertThat(fromCsv.getLong("created") + fromCsv.getLong("rejected")).isZero();
            assertThat(fromCsv.getLong("unchanged") + fromCsv.getLong("updated"))
                    .isEqualTo(25);
        } finally {
            codes.stream().filter(c -> c != null).forEach(Attrs::purge);
        }
    }

    /** Every product's imported fields, in SKU order. */
    private String table() {
        return pool.query("""
                        select count(*) || ':' || md5(string_agg(sku || '|' || name || '|' || coalesce(description, '')
                            || '|' || coalesce(price::text, '') || '|' || quantity || '|' || active, ',' order by lower(sku)))
                        from products""")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString(0);
    }

    @Test
    void bytesThatContradictTheFormatGet422() {
        String p = prefix();
        as(TestTokens.editor())
                .body(Map.of("objectKey", s3.put(Workbooks.catalog(p), "csv")))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body(
                        "title",
                        equalTo("Format mismatch"),
                        "detail",
                        containsString("name"),
                        "detectedFormat",
                        equalTo("xlsx"));
        as(TestTokens.editor())
                .body(Map.of(
                        "objectKey",
                        s3.put("sku,name\nA,B\n".getBytes(StandardCharsets.UTF_8)),
                        "options",
                        Map.of("format", "xlsx")))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .body("title", equalTo("Format mismatch"), "detail", containsString("format option says xlsx"));
        // Told explicitly, the bytes decide nothing else: a workbook under a .dat name imports.
        assertThat(completed(start(s3.put(Workbooks.catalog(p), "dat"), Map.of("format", "xlsx")))
                        .getLong("created"))
                .isEqualTo(2);
    }

    @Test
    void brokenWorkbooksGetAClear422OrAFailedJobAndNothingHangs() {
        String p = prefix();
        byte[] good = Workbooks.catalog(p);
        expect422(s3.put(Arrays.copyOf(good, good.length - 200), "xlsx"), "cut short");
        expect422(s3.put(Workbooks.encrypted(p), "xlsx"), "password-protected");
        expect422(s3.put(Workbooks.xls(p), "xls"), ".xls");
        // The start reads the header and the first rows (samples of the unmapped columns): the bomb
        // passes its ratio bound there, so it is refused before any job exists, with the reason.
        expect422(s3.put(Workbooks.bomb(300), "xlsx"), "ZIP bomb");
    }

    private static void expect422(String key, String detail) {
        as(TestTokens.editor())
                .body(Map.of("objectKey", key))
                .post("/api/imports")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("detail", containsString(detail));
    }

    @Test
    void aWorkbookStreamedAsTheRequestBodyImports() {
        String p = prefix();
        String id = given().auth()
                .oauth2(TestTokens.editor())
                .contentType(XLSX)
                .queryParam("filename", "catalog.xlsx")
                .queryParam("sheet", "Products")
                .body(Workbooks.catalog(p))
                .post("/api/imports")
                .then()
                .statusCode(202)
                .body("options.format", equalTo("xlsx"), "options.sheet", equalTo("Products"))
                .extract()
                .path("id");
        assertThat(completed(id).getLong("created")).isEqualTo(2);
        // Without a filename, an octet stream's bytes decide.
        String unnamed = given().auth()
                .oauth2(TestTokens.editor())
                .contentType("application/octet-stream")
                .body(Workbooks.catalog(p + "U"))
                .post("/api/imports")
                .then()
                .statusCode(202)
                .body("options.format", equalTo("xlsx"))
                .extract()
                .path("id");
        assertThat(completed(unnamed).getLong("created")).isEqualTo(2);
        String form = given().auth()
                .oauth2(TestTokens.editor())
                .multiPart("file", "catalog.xlsx", Workbooks.inlineStrings(p + "F", 250), XLSX)
                .post("/api/imports")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath job = completed(form);
        assertThat(job.getLong("created")).isEqualTo(250);
        assertThat(product(p + "F-00250").get("name")).isEqualTo("Item 250");
    }

    @Test
    void anUploadIsPreviewedForXlsxAndCsvAlike() throws Exception {
        String p = prefix();
        String upload = uploadByPut("catalog.xlsx", Workbooks.catalog(p));
        as(TestTokens.editor())
                .get("/api/uploads/{id}/preview", upload)
                .then()
                .statusCode(200)
                .body(
                        "format", equalTo("xlsx"),
                        "sheets.name", equalTo(List.of("Old", "Products", "Extra")),
                        "sheets.visible", equalTo(List.of(false, true, true)),
                        "sheet", equalTo("Products"),
                        "header", equalTo(List.of("sku", "name", "price", "quantity", "active", "description")),
                        "rows.size()", equalTo(4),
                        "rows[0]", equalTo(List.of(p + "-1", "Kettle", "12.5", "3", "true", "2024-03-01")),
                        "suggestedMapping.sku", equalTo("sku"),
                        "suggestedMapping.price", equalTo("price"));
        as(TestTokens.editor())
                .queryParam("sheet", "3")
                .get("/api/uploads/{id}/preview", upload)
                .then()
                .statusCode(200)
                .body("sheet", equalTo("Extra"), "rows[0][1]", equalTo("From the third sheet"));
        as(TestTokens.editor())
                .queryParam("sheet", "Nope")
                .get("/api/uploads/{id}/preview", upload)
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("sheets", hasItems("Old", "Products", "Extra"));
        // The upload then imports like any other.
        String id = as(TestTokens.editor())
                .body(Map.of("uploadId", upload))
                .post("/api/imports")
                .then()
                .statusCode(202)
                .body("filename", equalTo("catalog.xlsx"))
                .extract()
                .path("id");
        assertThat(completed(id).getLong("created")).isEqualTo(2);

        String csvUpload = uploadByPut(
                "items.csv",
                ("Item Number;Title;Regular Price\n" + p + "-9;Grüße;3.50\n").getBytes(StandardCharsets.UTF_8));
        as(TestTokens.editor())
                .get("/api/uploads/{id}/preview", csvUpload)
                .then()
                .statusCode(200)
                .body(
                        "format", equalTo("csv"),
                        "encoding", equalTo("UTF-8"),
                        "delimiter", equalTo(";"),
                        "header", equalTo(List.of("Item Number", "Title", "Regular Price")),
                        "rows[0]", equalTo(List.of(p + "-9", "Grüße", "3.50")),
                        "suggestedMapping",
                                equalTo(Map.of("sku", "Item Number", "name", "Title", "price", "Regular Price")));
    }

    private String uploadByPut(String filename, byte[] file) throws Exception {
        JsonPath t = as(TestTokens.editor())
                .body(Map.of("filename", filename, "size", file.length, "contentType", XLSX))
                .post("/api/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(t.getString("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file));
        t.getMap("headers", String.class, String.class).forEach(req::header);
        HttpResponse<String> sent = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        as(TestTokens.editor())
                .body(Map.of())
                .post("/api/uploads/{id}/complete", t.getString("uploadId"))
                .then()
                .statusCode(200);
        return t.getString("uploadId");
    }
}
