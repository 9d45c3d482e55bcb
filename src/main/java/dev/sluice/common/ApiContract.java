package dev.sluice.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.eclipse.microprofile.openapi.models.tags.Tag;

/**
 * The rules every operation of /q/openapi follows, applied in one place so that resources only
 * annotate what is theirs (docs/openapi.md; OpenApiContractTests fails the build when one is broken):
 * <ul>
 *   <li>an operationId, written in the resource's {@code @Operation}: a client's method name, verb first
 *       ({@code listProducts}, {@code startImport});
 *   <li>{@code security} on every operation: {@code @RolesAllowed}/{@code @Authenticated} become the
 *       bearer scheme (Quarkus adds it), anything else is public and says {@code security: []};
 *   <li>every 4xx answers RFC 9457 {@code application/problem+json}: 400 for operations with input, 401
 *       and 403 for secured ones, 404 where the path names a resource, plus whatever an operation
 *       declares with {@code @APIResponse(responseCode = "409", description = …)};
 *   <li>every tag has a description (here, or in the resource's {@code @Tag}).
 * </ul>
 * Runs at build time, once, on the generated document: it reads no runtime configuration, so running it
 * at every start (as {@code mp.openapi.filter} did) only cost start-up time, and a start-time filter
 * would keep the document being rebuilt eagerly at start once Quarkus prepares it lazily (quarkus#54826).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiContract implements OASFilter {
    static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";
    static final String BEARER = "jwt";
    static final String EVENTS_TOKEN = "eventsToken";

    static final Map<String, String> TAGS = new LinkedHashMap<>();

    static {
        TAGS.put("Auth", "Sign in with a password or an emailed code, refresh the tokens, list and end sessions.");
        TAGS.put(
                "Products",
                "The catalog: list and search, read with an ETag, write with If-Match, export as CSV or XLSX.");
        TAGS.put(
                "Attributes",
                "The catalog's own fields (typed, optionally required, filterable, searchable) that products carry. ADMIN.");
        TAGS.put("Uploads", "Presigned URLs that put a file straight into S3 (one PUT or parts), then complete it.");
        TAGS.put(
                "Imports",
                "Start an import from an upload or a streamed CSV, follow it live over SSE, read its rejected rows, cancel it.");
        TAGS.put(
                "Webhooks",
                "Endpoints that receive signed events (Standard Webhooks), their delivery log, tests and replays. ADMIN.");
        TAGS.put("Users", "Accounts and their roles (VIEWER, EDITOR, ADMIN). ADMIN.");
        TAGS.put("Audit", "Who changed what, when and from where. ADMIN.");
    }

    static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("400", "Invalid request: one entry in errors[] per invalid field"),
            Map.entry("401", "No valid access token (or events token)"),
            Map.entry("403", "The caller's role does not allow this"),
            Map.entry("404", "No such resource"),
            Map.entry("409", "Conflicts with the current state"),
            Map.entry("412", "The If-Match ETag is stale"),
            Map.entry("413", "The body or file is too large"),
            Map.entry("415", "Unsupported content type"),
            Map.entry("422", "Understood but not processable"),
            Map.entry("429", "Too many attempts; retry after Retry-After seconds"),
            Map.entry("4XX", "Any other client error (e.g. 406, 413, 415, 429)"));

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) api.setComponents(OASFactory.createComponents());
        api.getComponents().addSchema("FieldError", fieldError());
        api.getComponents().addSchema("Problem", problem());
        api.getComponents()
                .addSecurityScheme(
                        EVENTS_TOKEN,
                        OASFactory.createSecurityScheme()
                                .type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.QUERY)
                                .name("token")
                                .description("A 60-second token from createImportEventsToken, for EventSource,"
                                        + " which can't send headers. Valid for that import's events only."));
        if (api.getServers() == null || api.getServers().isEmpty()) {
            // Relative: the API is wherever this document was fetched from.
            api.addServer(OASFactory.createServer().url("/").description("This Sluice (the document's own origin)"));
        }
        describeTags(api);
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) return;
        api.getPaths()
                .getPathItems()
                .forEach((path, item) -> item.getOperations().values().forEach(op -> complete(path, op)));
    }

    private void describeTags(OpenAPI api) {
        Map<String, Tag> tags = new LinkedHashMap<>();
        TAGS.forEach((name, description) ->
                tags.put(name, OASFactory.createTag().name(name).description(description)));
        if (api.getTags() != null) {
            for (Tag t : api.getTags()) {
                Tag known = tags.get(t.getName());
                if (known == null) tags.put(t.getName(), t);
                else if (t.getDescription() != null) known.setDescription(t.getDescription());
            }
        }
        // Only tags that some operation uses, in the order above.
        List<String> used = new ArrayList<>();
        if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
            for (PathItem item : api.getPaths().getPathItems().values())
                for (Operation op : item.getOperations().values()) if (op.getTags() != null) used.addAll(op.getTags());
        }
        api.setTags(new ArrayList<>(
                tags.values().stream().filter(t -> used.contains(t.getName())).toList()));
    }

    private void complete(String path, Operation op) {
        if (op.getSecurity() == null) op.setSecurity(new ArrayList<>()); // public: security: []
        boolean secured = !op.getSecurity().isEmpty();
        APIResponses responses = op.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            op.setResponses(responses);
        }
        boolean input = op.getRequestBody() != null
                || (op.getParameters() != null && !op.getParameters().isEmpty());
        if (input) ensure(responses, "400");
        if (secured) {
            ensure(responses, "401");
            ensure(responses, "403");
        }
        if (path.contains("{")) ensure(responses, "404");
        // Any operation may also meet a limit (413, 429) or a refused content type (406, 415).
        ensure(responses, "4XX");
        if (responses.getAPIResponses() == null) return;
        responses.getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) asProblem(code, response);
        });
    }

    private static void ensure(APIResponses responses, String code) {
        if (responses.getAPIResponse(code) == null) responses.addAPIResponse(code, OASFactory.createAPIResponse());
    }

    private static void asProblem(String code, APIResponse response) {
        String description = response.getDescription();
        if (description == null
                || description.isBlank()
                || description.equals("Not Authorized")
                || description.equals("Not Allowed")
                || description.equals("Bad Request")) {
            response.setDescription(REASONS.getOrDefault(code, "Problem"));
        }
        Content content = OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA)));
        response.setContent(content);
    }

    private static Schema problem() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details: the body of every 4xx and 5xx.")
                .addRequired("type")
                .addRequired("title")
                .addRequired("status")
                .addProperty(
                        "type",
                        string().format("uri")
                                .description("https://sluice.dev/problems/{status}")
                                .examples(List.of("https://sluice.dev/problems/400")))
                .addProperty("title", string().description("Short, the same for every problem of this type"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string().description("What went wrong this time"))
                .addProperty("instance", string().description("The request path"))
                .addProperty(
                        "errors",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.ARRAY)
                                .description("One entry per invalid field (400)")
                                .items(OASFactory.createSchema().ref("#/components/schemas/FieldError")));
    }

    private static Schema fieldError() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .addRequired("field")
                .addRequired("message")
                .addProperty("field", string().description("The field, parameter or header"))
                .addProperty("message", string())
                .addProperty(
                        "rejectedValue",
                        OASFactory.createSchema().description("The value sent, when it is safe to echo"));
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    }
}
