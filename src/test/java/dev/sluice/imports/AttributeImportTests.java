package dev.sluice.imports;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.product;
import static dev.sluice.support.Imports.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.sluice.attribute.Attrs;
import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Imports feed attributes: headers match codes or labels (or a mapping), values are typed, bad ones
 * reject the row with line, column, value and reason; an absent column leaves an attribute alone, an
 * empty cell clears it; the last row wins and a re-import writes nothing; unmapped columns are listed,
 * or become text attributes with unmapped=create.
 */
@QuarkusTest
class AttributeImportTests {
    @Inject
    S3Files s3;

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void dropTheAttributes() {
        Attrs.purgeCreated();
        created.forEach(Attrs::purge);
    }

    private static Map<String, Object> attrs(String sku) {
        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) product(sku).get("attributes");
        return a;
    }

    private static List<Map<String, Object>> errors(String jobId) {
        return as(TestTokens.viewer())
                .get("/api/imports/{id}/errors", jobId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    @Test
    void headersMatchCodesOrLabelsIgnoringCaseSpacesAndDashesOrAMappingAndValuesAreTyped() {
        String p = prefix();
        String weight = Attrs.create(Attrs.code("weight"), "number", "label", "Weight (kg)");
        String pieces = Attrs.create(Attrs.code("pieces"), "integer");
        String colour = Attrs.createEnum(Attrs.code("colour"), List.of("Red", "Dark Blue"));
        String since = Attrs.create(Attrs.code("since"), "date", "label", "Sold since");
        String header = "sku,name,WEIGHT_(kg)," + pieces.toUpperCase().replace('_', '-') + ",Farbe,sold-since\n";
        String csv = header + p + "-1,One,1.25,3,dark blue,2024-05-01\n" + p + "-2,Two,,,,\n";
        JsonPath job = completed(start(s3.put(utf8(csv)), Map.of("mapping", Map.of("attr." + colour, "Farbe"))));
        assertThat(job.getLong("created")).isEqualTo(2);
        assertThat(job.getList("unmappedColumns")).isEmpty();
        Map<String, Object> one = attrs(p + "-1");
        assertThat(one.get(weight)).isEqualTo(1.25f);
        assertThat(one.get(pieces)).isEqualTo(3);
        assertThat(one.get(colour)).isEqualTo("Dark Blue");
        assertThat(one.get(since)).isEqualTo("2024-05-01");
        assertThat(attrs(p + "-2")).isEmpty();
    }

    @Test
    void aBadValueRejectsTheRowWithLineColumnValueAndReason() {
        String p = prefix();
        String pieces = Attrs.create(Attrs.code("pieces"), "integer", "label", "Pieces");
        String colour = Attrs.createEnum(Attrs.code("colour"), List.of("Red"), "label", "Colour");
        String csv =
                "sku,name,Pieces,Colour\n" + p + "-1,One,2,red\n" + p + "-2,Two,two,Red\n" + p + "-3,Three,1,Green\n";
        JsonPath job = completed(start(s3.put(utf8(csv)), null));
        assertThat(job.getLong("created")).isEqualTo(1);
        assertThat(job.getLong("rejected")).isEqualTo(2);
        assertThat(job.getLong("processedRows")).isEqualTo(3);
        List<Map<String, Object>> errors = errors(job.getString("id"));
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0))
                .containsEntry("line", 3)
                .containsEntry("column", "Pieces")
                .containsEntry("value", "two")
                .containsEntry("reason", "is not a whole number (up to 19 digits)");
        assertThat(errors.get(1))
                .containsEntry("line", 4)
                .containsEntry("column", "Colour")
                .containsEntry("value", "Green")
                .containsEntry("reason", "must be one of Red");
        assertThat(attrs(p + "-1")).containsEntry(colour, "Red").containsEntry(pieces, 2);
        assertThat(product(p + "-2")).isNull();
    }

    @Test
    void anAbsentColumnLeavesAnAttributeAloneAnEmptyCellClearsItAndAReimportWritesNothing() {
        String p = prefix();
        String weight = Attrs.create(Attrs.code("weight"), "number", "label", "Weight");
        String colour = Attrs.createEnum(Attrs.code("colour"), List.of("Red", "Blue"), "label", "Colour");
        String first = "sku,name,Weight,Colour\n" + p + "-1,One,1.5,Red\n" + p + "-2,Two,2,Blue\n";
        completed(start(s3.put(utf8(first)), null));
        JsonPath again = completed(start(s3.put(utf8(first)), null));
        assertThat(again.getLong("created") + again.getLong("updated")).isZero();
        assertThat(again.getLong("unchanged")).isEqualTo(2);

        // Weight only: colour stays; an empty weight clears it; "1.50" is the same number as 1.5.
        String second = "sku,Weight\n" + p + "-1,1.50\n" + p + "-2,\n";
        JsonPath job = completed(start(s3.put(utf8(second)), null));
        assertThat(job.getLong("updated")).isEqualTo(1);
        assertThat(job.getLong("unchanged")).isEqualTo(1);
        assertThat(attrs(p + "-1")).containsEntry(colour, "Red").containsEntry(weight, 1.5f);
        assertThat(attrs(p + "-2")).containsEntry(colour, "Blue").doesNotContainKey(weight);
        long version = ((Number) product(p + "-2").get("version")).longValue();
        JsonPath re = completed(start(s3.put(utf8(second)), null));
        assertThat(re.getLong("created") + re.getLong("updated")).isZero();
        assertThat(((Number) product(p + "-2").get("version")).longValue()).isEqualTo(version);
    }

    @Test
    void aRequiredAttributeRefusesOnlyTheRowsThatWouldCreateAProductWithoutIt() {
        String p = prefix();
        completed(start(s3.put(utf8("sku,name\n" + p + "-old,Old\n")), null));
        String ean = Attrs.create(Attrs.code("ean"), "text", "label", "EAN", "required", true);
        String csv = "sku,name,EAN\n" + p + "-old,Old renamed,\n" + p + "-new,New,\n" + p + "-ok,Ok,123\n";
        JsonPath job = completed(start(s3.put(utf8(csv)), null));
        assertThat(job.getLong("created")).isEqualTo(1);
        assertThat(job.getLong("updated")).isEqualTo(1);
        assertThat(job.getLong("rejected")).isEqualTo(1);
        assertThat(job.getLong("processedRows")).isEqualTo(3);
        List<Map<String, Object>> errors = errors(job.getString("id"));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("line", 3).containsEntry("column", ean);
            assertThat((String) e.get("reason")).contains("required");
        });
        assertThat(product(p + "-new")).isNull();
        assertThat(product(p + "-old").get("name")).isEqualTo("Old renamed");
        Attrs.purge(ean);
    }

    @Test
    void theLastRowOfARepeatedSkuWinsWithItsAttributes() {
        String p = prefix();
        String colour = Attrs.createEnum(Attrs.code("colour"), List.of("Red", "Blue"), "label", "Colour");
        String csv = "sku,name,Colour\n" + p + "-1,One,Red\n" + p + "-2,Two,Red\n" + p.toLowerCase() + "-1,One,Blue\n";
        JsonPath job = completed(start(s3.put(utf8(csv)), null));
        assertThat(job.getLong("created")).isEqualTo(2);
        assertThat(job.getLong("duplicates")).isEqualTo(1);
        assertThat(attrs(p + "-1")).containsEntry(colour, "Blue");
        JsonPath again = completed(start(s3.put(utf8(csv)), null));
        assertThat(again.getLong("created") + again.getLong("updated")).isZero();
    }

    @Test
    void unmappedColumnsAreListedWithASampleByApplyAndDryRunAndCreateMakesThemTextAttributes() {
        String p = prefix();
        String csv = "sku,name,Shelf Life,Made In\n" + p + "-1,One,,Italy\n" + p + "-2,Two,12 days,\n";
        Map<String, Object> dry = new HashMap<>(Map.of("mode", "dry-run", "unmapped", "create"));
        JsonPath dryRun = completed(start(s3.put(utf8(csv)), dry));
        assertThat(dryRun.getList("unmappedColumns.name")).containsExactly("Shelf Life", "Made In");
        assertThat(dryRun.getList("unmappedColumns.sample")).containsExactly("12 days", "Italy");
        assertThat(product(p + "-1")).isNull();

        JsonPath ignored = completed(start(s3.put(utf8(csv)), null));
        assertThat(ignored.getList("unmappedColumns.name")).containsExactly("Shelf Life", "Made In");
        assertThat(attrs(p + "-1")).isEmpty();

        JsonPath create = completed(start(s3.put(utf8(csv)), Map.of("unmapped", "create")));
        List<String> codes = create.getList("unmappedColumns.attribute");
        created.addAll(codes);
        assertThat(codes).hasSize(2);
        assertThat(codes.get(0)).startsWith("shelf_life");
        assertThat(create.getLong("updated")).isEqualTo(2);
        assertThat(attrs(p + "-1")).containsEntry(codes.get(1), "Italy").doesNotContainKey(codes.get(0));
        assertThat(attrs(p + "-2")).containsEntry(codes.get(0), "12 days");
        as(TestTokens.viewer())
                .get("/api/attributes/{c}", codes.get(0))
                .then()
                .statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("text"))
                .body("label", org.hamcrest.Matchers.equalTo("Shelf Life"));
    }

    @Test
    void anExportReimportsWithEveryRowUnchanged() {
        String p = prefix();
        Attrs.create(Attrs.code("weight"), "number", "label", "Weight");
        Attrs.create(Attrs.code("since"), "date", "label", "Since");
        Attrs.create(Attrs.code("fragile"), "boolean", "label", "Fragile");
        Attrs.createEnum(Attrs.code("colour"), List.of("Red", "Blue"), "label", "Colour");
        Attrs.create(Attrs.code("note"), "text", "label", "Note");
        StringBuilder csv = new StringBuilder("sku,name,Weight,Since,Fragile,Colour,Note\n");
        for (int i = 0; i < 30; i++)
            csv.append(p)
                    .append("-")
                    .append(i)
                    .append(",Item ")
                    .append(i)
                    .append(",")
                    .append(i % 3 == 0 ? "" : i + ".50")
                    .append(",2024-01-")
                    .append(10 + i % 20)
                    .append(",")
                    .append(i % 2 == 0 ? "yes" : "0")
                    .append(",")
                    .append(i % 2 == 0 ? "red" : "BLUE")
                    .append(",\"=cmd, \"\"quoted\"\"\"\n");
        completed(start(s3.put(utf8(csv.toString())), null));
        byte[] export = RestAssured.given()
                .auth()
                .oauth2(TestTokens.viewer())
                .queryParam("q", p)
                .get("/api/products/export")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        JsonPath again = completed(start(s3.put(export), null));
        assertThat(again.getLong("unchanged")).isEqualTo(30);
        assertThat(again.getLong("created") + again.getLong("updated") + again.getLong("rejected"))
                .isZero();
    }

    @Test
    void theWooCommerceSampleImportsWithEveryValueStoredAndItsExportCarriesThemAll() throws IOException {
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("/woocommerce-sample-products.csv")) {
            file = in.readAllBytes();
        }
        JsonPath job = completed(start(s3.put(file), Map.of("unmapped", "create")));
        List<Map<String, Object>> unmapped = job.getList("unmappedColumns");
        unmapped.forEach(c -> created.add((String) c.get("attribute")));
        assertThat(job.getLong("created") + job.getLong("updated") + job.getLong("unchanged"))
                .isEqualTo(25);
        assertThat(job.getLong("rejected")).isZero();
        // 51 columns: sku, name and description are product fields; the 48 others became attributes.
        assertThat(unmapped).hasSize(48);

        List<Map<String, String>> rows = rows(file);
        assertThat(rows).hasSize(25);
        Map<String, String> codeOf = new HashMap<>();
        unmapped.forEach(c -> codeOf.put((String) c.get("name"), (String) c.get("attribute")));
        int values = 0;
        for (Map<String, String> row : rows) {
            Map<String, Object> stored = attrs(row.get("SKU"));
            for (Map.Entry<String, String> cell : row.entrySet()) {
                String code = codeOf.get(cell.getKey());
                if (code == null || cell.getValue().isBlank()) continue;
                assertThat(stored).as("%s of %s", cell.getKey(), row.get("SKU")).containsEntry(code, cell.getValue());
                values++;
            }
        }
        assertThat(values).isGreaterThan(400);

        byte[] export = RestAssured.given()
                .auth()
                .oauth2(TestTokens.viewer())
                .get("/api/products/export")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        Map<String, Map<String, String>> exported = new HashMap<>();
        for (Map<String, String> r : rows(export)) exported.put(r.get("sku").toLowerCase(), r);
        for (Map<String, String> row : rows) {
            Map<String, String> out = exported.get(row.get("SKU").toLowerCase());
            assertThat(out).as(row.get("SKU")).isNotNull();
            for (Map.Entry<String, String> cell : row.entrySet()) {
                String code = codeOf.get(cell.getKey());
                if (code == null) continue;
                assertThat(out.get(code)).as("%s of %s", code, row.get("SKU")).isEqualTo(cell.getValue());
            }
        }
        // And the export re-imports with every row unchanged.
        JsonPath again = completed(start(s3.put(export), null));
        assertThat(again.getLong("created") + again.getLong("updated") + again.getLong("rejected"))
                .isZero();
    }

    private static List<Map<String, String>> rows(byte[] csv) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<Map<String, String>> out = new ArrayList<>();
        try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class)
                .readValues(new String(csv, java.nio.charset.StandardCharsets.UTF_8).replace("\uFEFF", ""))) {
            List<String> header = it.next();
            while (it.hasNext()) {
                List<String> cells = it.next();
                if (cells.size() == 1 && cells.getFirst().isEmpty()) continue;
                Map<String, String> m = new HashMap<>();
                for (int i = 0; i < header.size(); i++) m.put(header.get(i), i < cells.size() ? cells.get(i) : "");
                out.add(m);
            }
        }
        return out;
    }
}
