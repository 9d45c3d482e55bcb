package dev.sluice.product;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.attribute.Attrs;
import dev.sluice.support.Await;
import dev.sluice.support.Csv;
import dev.sluice.support.Db;
import dev.sluice.support.Imports;
import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** CSV and XLSX export: filters, paging across pages, formula neutralisation, and a lossless round trip. */
@QuarkusTest
class ProductExportTests {
    @Inject
    S3Files s3;

    @TestHTTPResource("/api/products/export")
    URL exportUrl;

    private static Response export(String format, Map<String, ?> params) {
        var req = as(TestTokens.viewer()).accept("*/*");
        if (format != null) req.queryParam("format", format);
        params.forEach(req::queryParam);
        return req.get("/api/products/export");
    }

    @Test
    void csvExportHasTheImportColumnsCrossesPagesAndReimportsUnchanged() {
        String p = prefix();
        // 2,300 products: three export pages of 1,000.
        StringBuilder csv = new StringBuilder(Csv.products(p, 2300));
        csv.append(p).append("-F1,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\"+1 tagline\",1.00,1,true\n");
        csv.append(p).append("-F2,@SUM(A1),\"-dash first, then text\",,0,false\n");
        completed(start(s3.put(utf8(csv.toString())), null));

        Response r = export(null, Map.of("q", p, "sort", "sku"));
        r.then()
                .statusCode(200)
                .header("Content-Type", containsString("text/csv"))
                .header("Content-Disposition", containsString("attachment; filename=\"products-"));
        String body = r.asString();
        List<String> lines = body.lines().toList();
        // Then one column per attribute defined (other tests may have left some).
        assertThat(lines.getFirst()).startsWith("sku,name,description,price,quantity,active");
        assertThat(lines).hasSize(2303);
        List<String> order = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) order.add(line.substring(0, line.indexOf(',')));
        assertThat(new HashSet<>(order)).hasSize(2302);
        // Pages are encoded concurrently; they still leave in the list's order.
        assertThat(order).isSorted();
        assertThat(lines.get(1)).startsWith(p + "-00000,Item 0,\"Desc, with comma\",0.00,0,false");
        // Formula-looking text gets an apostrophe in the file.
        assertThat(body).contains(p + "-F1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",'+1 tagline,1.00,1,true");
        assertThat(body).contains(p + "-F2,'@SUM(A1),\"'-dash first, then text\",,0,false");

        // Importing the export changes nothing: every row is unchanged, and the formulas come back as they were.
        JsonPath again = completed(start(s3.put(body.getBytes(StandardCharsets.UTF_8)), null));
        assertThat(again.getLong("unchanged")).isEqualTo(2302);
        assertThat(again.getLong("created") + again.getLong("updated") + again.getLong("rejected"))
                .isZero();
        assertThat(Imports.product(p + "-F1").get("name")).isEqualTo("=HYPERLINK(\"http://evil\",\"x\")");
    }

    @Test
    void aClientThatHangsUpMidExportLeavesNoCursorOrTransactionOpen() throws Exception {
        String p = prefix();
        completed(start(s3.put(utf8(Csv.products(p, 30_000))), null));
        // Reads the first bytes of a large export over a raw socket, then closes it: the response stalls
        // on backpressure long before the cursor is spent, so only the hang-up can release it. (An HTTP
        // client's close might drain the rest first, which would prove nothing.)
        try (Socket socket = new Socket(exportUrl.getHost(), exportUrl.getPort())) {
            String request = "GET " + exportUrl.getPath() + "?sort=sku&q=" + p + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + TestTokens.viewer() + "\r\nAccept: */*\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] head = socket.getInputStream().readNBytes(4096);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            Await.until("the export's cursor is open", Duration.ofSeconds(10), () -> exportTransactions() == 1);
        }
        Await.until(
                "the cursor's transaction ends when the client goes",
                Duration.ofSeconds(20),
                () -> exportTransactions() == 0);
    }

    /** Server sessions inside a transaction whose last statement is the export's cursor. */
    private long exportTransactions() {
        return Db.scalar("""
                select count(*) from pg_stat_activity
                where datname = current_database() and xact_start is not null and pid <> pg_backend_pid()
                  and query like '/* products export */ select %'""");
    }

    @Test
    void filtersApplyAndBadFormatsAreRefused() {
        String p = prefix();
        completed(start(s3.put(utf8(Csv.products(p, 70))), null)); // every 7th is inactive: 10 of 70
        String body = export("csv", Map.of("q", p, "active", false))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(body.lines().count()).isEqualTo(11);
        assertThat(body.lines().skip(1)).allSatisfy(l -> assertThat(l).containsPattern(",[0-9]+,false(,|$)"));
        export("pdf", Map.of())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("format"));
        as(TestTokens.viewer())
                .accept("*/*")
                .get("/api/products/export?sort=nope")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void xlsxIsAWellFormedWorkbookWithOneRowPerProduct() throws Exception {
        String p = prefix();
        StringBuilder csv = new StringBuilder(Csv.products(p, 1500));
        csv.append(p).append("-X,=1+1,<b>&amp;</b>,2.50,3,true\n");
        completed(start(s3.put(utf8(csv.toString())), null));
        Response r = export("xlsx", Map.of("q", p, "sort", "sku"));
        r.then()
                .statusCode(200)
                .header("Content-Type", containsString("spreadsheetml.sheet"))
                .header("Content-Disposition", containsString(".xlsx"));
        Map<String, byte[]> parts = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.asByteArray()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) parts.put(e.getName(), zip.readAllBytes());
        }
        assertThat(parts)
                .containsKeys(
                        "[Content_Types].xml",
                        "_rels/.rels",
                        "xl/workbook.xml",
                        "xl/_rels/workbook.xml.rels",
                        "xl/styles.xml",
                        "xl/worksheets/sheet1.xml");
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        for (var part : parts.entrySet()) {
            factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(part.getValue())); // each part is well-formed XML
        }
        Document sheet =
                factory.newDocumentBuilder().parse(new ByteArrayInputStream(parts.get("xl/worksheets/sheet1.xml")));
        NodeList rows = sheet.getElementsByTagNameNS("*", "row");
        assertThat(rows.getLength()).isEqualTo(1502); // header + 1,501 products
        String xml = new String(parts.get("xl/worksheets/sheet1.xml"), StandardCharsets.UTF_8);
        // The formula is plain text with Excel's quote-prefix style; markup is escaped; numbers are numbers.
        assertThat(xml).contains("<c r=\"B1502\" t=\"inlineStr\" s=\"1\"><is><t>=1+1</t></is></c>");
        assertThat(xml).contains("&lt;b&gt;&amp;amp;&lt;/b&gt;");
        assertThat(xml).contains("<c r=\"D1502\"><v>2.50</v></c>").contains("<c r=\"F1502\" t=\"b\"><v>1</v></c>");
        assertThat(xml).doesNotContain("<f>");
    }

    @Test
    void attributesAreExportedAsTheirTypesNeutralisedInBothFormatsAndReimportUnchanged() throws Exception {
        String p = prefix();
        String text = Attrs.create(Attrs.code("xt"), "text");
        String integer = Attrs.create(Attrs.code("xi"), "integer");
        String number = Attrs.create(Attrs.code("xn"), "number");
        String bool = Attrs.create(Attrs.code("xb"), "boolean");
        String date = Attrs.create(Attrs.code("xd"), "date");
        try {
            String header =
                    "sku,name,description,price,quantity,active," + String.join(",", text, integer, number, bool, date);
            // Formula-looking text, a comma, quotes, negative numbers (never neutralised), empty values.
            String a = p + "-A,=cmd,  padded  ,1.50,2,true,\"=HYPERLINK(\"\"x\"\")\",-5,-9.50,true,2024-02-29";
            String b = p + "-B,Plain,,,0,false,\"say \"\"hi\"\", then go\",12,0.25,false,";
            String c = p + "-C,@home,tab\tinside,3.00,7,true,,,,,";
            completed(start(s3.put(utf8(header + "\n" + a + "\n" + b + "\n" + c + "\n")), null));
            Map<String, List<String>> expected = Map.of(
                    p + "-A",
                            List.of(
                                    "'=cmd",
                                    "  padded  ",
                                    "1.50",
                                    "2",
                                    "true",
                                    "'=HYPERLINK(\"x\")",
                                    "-5",
                                    "-9.50",
                                    "true",
                                    "2024-02-29"),
                    p + "-B", List.of("Plain", "", "", "0", "false", "say \"hi\", then go", "12", "0.25", "false", ""),
                    p + "-C", List.of("'@home", "tab\tinside", "3.00", "7", "true", "", "", "", "", ""));
            List<String> mine =
                    List.of("name", "description", "price", "quantity", "active", text, integer, number, bool, date);

            String body = export("csv", Map.of("q", p, "sort", "sku"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            List<List<String>> records = Csv.parse(body);
            List<String> columns = records.getFirst();
            assertThat(records).hasSize(4);
            for (List<String> record : records.subList(1, 4)) {
                List<String> want = expected.get(record.getFirst());
                for (int i = 0; i < mine.size(); i++)
                    assertThat(record.get(columns.indexOf(mine.get(i))))
                            .as(record.getFirst() + " " + mine.get(i))
                            .isEqualTo(want.get(i));
                // Attributes defined by other tests have no values here.
                assertThat(record.size()).isEqualTo(columns.size());
            }
            assertThat(body).contains("\"'=HYPERLINK(\"\"x\"\")\"").contains("\"say \"\"hi\"\", then go\"");
            JsonPath again = completed(start(s3.put(body.getBytes(StandardCharsets.UTF_8)), null));
            assertThat(again.getLong("unchanged")).isEqualTo(3);
            assertThat(again.getLong("created") + again.getLong("updated") + again.getLong("rejected"))
                    .isZero();

            String xml = sheet(export("xlsx", Map.of("q", p, "sort", "sku"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .asByteArray());
            String ti = column(columns.indexOf(text)),
                    ii = column(columns.indexOf(integer)),
                    ni = column(columns.indexOf(number)),
                    bi = column(columns.indexOf(bool)),
                    di = column(columns.indexOf(date));
            // Row 2 is -A: text with the quote-prefix style, numbers as numbers, a boolean, the date as text.
            assertThat(xml)
                    .contains("<c r=\"B2\" t=\"inlineStr\" s=\"1\"><is><t>=cmd</t></is></c>")
                    .contains("<c r=\"C2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  padded  </t></is></c>")
                    .contains("<c r=\"" + ti
                            + "2\" t=\"inlineStr\" s=\"1\"><is><t>=HYPERLINK(&quot;x&quot;)</t></is></c>")
                    .contains("<c r=\"" + ii + "2\"><v>-5</v></c>")
                    .contains("<c r=\"" + ni + "2\"><v>-9.50</v></c>")
                    .contains("<c r=\"" + bi + "2\" t=\"b\"><v>1</v></c>")
                    .contains("<c r=\"" + di + "2\" t=\"inlineStr\"><is><t>2024-02-29</t></is></c>")
                    .contains("<c r=\"" + bi + "3\" t=\"b\"><v>0</v></c>")
                    .contains("<c r=\"" + ni + "3\"><v>0.25</v></c>")
                    .contains("<c r=\"B4\" t=\"inlineStr\" s=\"1\"><is><t>@home</t></is></c>")
                    .contains("<c r=\"E3\"><v>0</v></c>") // quantity 0; the empty price has no cell
                    .doesNotContain("<c r=\"D3\"")
                    .doesNotContain("<c r=\"" + ti + "4\"")
                    .doesNotContain("<f>");
        } finally {
            Attrs.purgeCreated();
        }
    }

    /** The sheet's XML from an exported workbook. */
    private static String sheet(byte[] xlsx) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(xlsx))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; )
                if (e.getName().equals("xl/worksheets/sheet1.xml"))
                    return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
        }
        throw new AssertionError("no sheet");
    }

    /** A column's letters (0 → A). */
    private static String column(int index) {
        StringBuilder sb = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) sb.insert(0, (char) ('A' + (n - 1) % 26));
        return sb.toString();
    }
}
