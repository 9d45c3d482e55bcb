package dev.sluice.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document as a contract (docs/openapi.md). The first tests read /q/openapi itself and fail
 * for any operation, today's or one added later, that breaks the conventions. The last two run
 * {@code clients/ts} with node: Redocly's lint (recommended rules, no error allowed), then a TypeScript
 * client generated from this very document (openapi-typescript + openapi-fetch), type-checked, driving
 * this test server on node's test runner. {@code scripts/test} installs the npm packages (npm ci).
 */
@QuarkusTest
class OpenApiContractTests {
    static final Path CLIENT = Path.of("clients/ts");
    static final Path DOCUMENT = Path.of("target/openapi/openapi.json");
    static final Pattern CLIENT_METHOD = Pattern.compile("[a-z][a-zA-Z0-9]*");
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    static JsonNode doc;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void readTheDocument() throws Exception {
        if (doc != null) return;
        String json = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Files.createDirectories(DOCUMENT.getParent());
        Files.writeString(DOCUMENT, json);
        doc = new ObjectMapper().readTree(json);
    }

    record Op(String method, String path, JsonNode node) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    static List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        doc.get("paths")
                .fields()
                .forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
                    if (METHODS.contains(m.getKey())) ops.add(new Op(m.getKey(), p.getKey(), m.getValue()));
                }));
        return ops;
    }

    @Test
    void everyOperationHasAUniqueOperationIdNamedLikeAClientMethod() {
        List<String> broken = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Op op : operations()) {
            String id = op.node.path("operationId").asText("");
            if (!CLIENT_METHOD.matcher(id).matches()) broken.add(op + ": operationId '" + id + "'");
            else if (!seen.add(id)) broken.add(op + ": operationId '" + id + "' is used twice");
        }
        assertThat(broken)
                .as("add @Operation(operationId = \"verbNoun\") (docs/openapi.md)")
                .isEmpty();
        assertThat(seen).contains("listProducts", "startImport", "followImportEvents", "login", "createUpload");
    }

    @Test
    void everyOperationSaysWhoMayCallIt() {
        Set<String> schemes = new HashSet<>();
        doc.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        List<String> broken = new ArrayList<>();
        for (Op op : operations()) {
            JsonNode security = op.node.get("security");
            if (security == null || !security.isArray()) {
                broken.add(op + ": no security");
                continue;
            }
            for (JsonNode requirement : security)
                requirement.fieldNames().forEachRemaining(name -> {
                    if (!schemes.contains(name)) broken.add(op + ": unknown security scheme " + name);
                });
        }
        assertThat(broken).isEmpty();
        assertThat(byId("login").get("security")).as("login is public").isEmpty();
        assertThat(byId("refreshTokens").get("security")).isEmpty();
        assertThat(byId("listProducts").get("security").toString()).contains("jwt");
        assertThat(byId("followImportEvents").get("security").toString())
                .as("the stream takes a bearer token or an events token")
                .contains("jwt", "eventsToken");
    }

    @Test
    void every4xxIsAProblemAndSecuredOperationsDeclare401And403() {
        List<String> broken = new ArrayList<>();
        for (Op op : operations()) {
            JsonNode responses = op.node.path("responses");
            boolean secured = op.node.path("security").size() > 0;
            if (secured && (!responses.has("401") || !responses.has("403")))
                broken.add(op + ": secured but no 401/403");
            boolean any4xx = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> r = it.next();
                if (!r.getKey().startsWith("4")) continue;
                any4xx = true;
                JsonNode problem = r.getValue().path("content").path("application/problem+json");
                if (!problem.path("schema").path("$ref").asText().equals("#/components/schemas/Problem"))
                    broken.add(op + ": " + r.getKey() + " is not application/problem+json");
                if (r.getValue().path("description").asText().isBlank())
                    broken.add(op + ": " + r.getKey() + " has no description");
            }
            if (!any4xx) broken.add(op + ": no 4xx response");
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyTagIsDescribedAndTheDocumentHasALicence() {
        Set<String> described = new HashSet<>();
        for (JsonNode t : doc.path("tags"))
            if (!t.path("description").asText().isBlank())
                described.add(t.path("name").asText());
        List<String> broken = new ArrayList<>();
        for (Op op : operations()) {
            if (op.node.path("tags").isEmpty()) broken.add(op + ": no tag");
            for (JsonNode t : op.node.path("tags"))
                if (!described.contains(t.asText())) broken.add(op + ": tag " + t.asText() + " has no description");
        }
        assertThat(broken)
                .as("describe it in @Tag(name, description) or ApiContract.TAGS")
                .isEmpty();
        assertThat(doc.path("info").path("license").path("name").asText()).isNotBlank();
    }

    @Test
    void theStreamedImportBodiesAndTheEventStreamAreDocumented() {
        JsonNode body = byId("startImport").path("requestBody").path("content");
        assertThat(body.has("application/json")).isTrue();
        assertThat(body.path("text/csv").path("schema").path("format").asText()).isEqualTo("binary");
        JsonNode form = body.path("multipart/form-data");
        assertThat(form.path("schema")
                        .path("properties")
                        .path("file")
                        .path("format")
                        .asText())
                .isEqualTo("binary");
        assertThat(form.path("encoding").path("options").path("contentType").asText())
                .isEqualTo("application/json");
        assertThat(byId("startImport").path("responses").has("202")).isTrue();

        JsonNode events = byId("followImportEvents");
        assertThat(events.path("responses").path("200").path("content").has("text/event-stream"))
                .isTrue();
        assertThat(events.path("description").asText()).contains("'progress'", "'end'", "Last-Event-ID");
        assertThat(events.toString()).contains("Last-Event-ID");
    }

    @Test
    void theDocumentPassesRedoclysRecommendedRules() throws Exception {
        Run lint = node(List.of("node_modules/.bin/redocly", "lint", "--format=stylish", abs(DOCUMENT)), "lint");
        assertThat(lint.exit)
                .as("redocly lint (recommended rules)\n" + lint.output)
                .isZero();
        assertThat(lint.output).doesNotContain("error");
    }

    @Test
    void aTypeScriptClientGeneratedFromTheDocumentDrivesTheApi() throws Exception {
        Run gen = node(
                List.of("node_modules/.bin/openapi-typescript", abs(DOCUMENT), "-o", "src/schema.d.ts"), "generate");
        assertThat(gen.exit).as("openapi-typescript\n" + gen.output).isZero();
        Run tsc = node(List.of("node_modules/.bin/tsc", "-p", "."), "tsc");
        assertThat(tsc.exit)
                .as("tsc: the test must type-check against the generated client\n" + tsc.output)
                .isZero();
        Run test = node(List.of("node", "--test", "--test-reporter=spec", "dist/"), "node-test");
        assertThat(test.exit).as("node --test (clients/ts)\n" + test.output).isZero();
        assertThat(test.output).contains("pass").doesNotContain("# fail 1");
    }

    private static JsonNode byId(String operationId) {
        return operations().stream()
                .filter(op -> operationId.equals(op.node.path("operationId").asText()))
                .findFirst()
                .map(Op::node)
                .orElseThrow(() -> new AssertionError("no operation " + operationId));
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }

    record Run(int exit, String output) {}

    private Run node(List<String> command, String name) throws Exception {
        if (!Files.isDirectory(CLIENT.resolve("node_modules/.bin"))) {
            fail("clients/ts/node_modules is missing: scripts/test installs it (npm ci --prefix clients/ts)");
        }
        Path log = Path.of("target/openapi/" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(CLIENT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("SLUICE_URL", base.toString());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("ADMIN_EMAIL", "admin@sluice.local");
        pb.environment().put("ADMIN_PASSWORD", "admin");
        pb.environment()
                .put(
                        "S3_ENDPOINT",
                        ConfigProvider.getConfig()
                                .getOptionalValue("quarkus.s3.endpoint-override", String.class)
                                .orElse(""));
        Process p = pb.start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly();
        String output = Files.readString(log);
        System.out.println("---- " + name + "\n" + output);
        assertThat(done).as(name + " finished in time\n" + output).isTrue();
        return new Run(p.exitValue(), output);
    }
}
