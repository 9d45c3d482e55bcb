package dev.sluice.product;

import dev.sluice.attribute.AttributeCatalog;
import dev.sluice.attribute.Attributes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.PageResponse;
import dev.sluice.common.Paging;
import dev.sluice.history.HistoryEntry;
import dev.sluice.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Products")
public class ProductResource {
    private final ProductService service;
    private final ProductExport export;
    private final AttributeCatalog catalog;

    public ProductResource(ProductService service, ProductExport export, AttributeCatalog catalog) {
        this.service = service;
        this.export = export;
        this.catalog = catalog;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "listProducts",
            summary = "List products",
            description = "Filter, sort and page; pass nextCursor back as 'after' for keyset paging.")
    public Uni<PageResponse<ProductView>> list(
            @Parameter(description = "Case-insensitive contains on sku or name") @QueryParam("q") String q,
            @Parameter(description = "Exact SKU, any letter case") @QueryParam("sku") String sku,
            @QueryParam("active") Boolean active,
            @Parameter(description = "0-based page number") @QueryParam("page") Integer page,
            @Parameter(description = "Page size, 1–200 (default 20)") @QueryParam("size") Integer size,
            @Parameter(
                            description =
                                    "sku, name, price, quantity, createdAt, updatedAt or attr.<code>; '-' for descending")
                    @QueryParam("sort")
                    String sort,
            @Parameter(description = "Cursor from a previous page's nextCursor") @QueryParam("after") String after,
            @Context UriInfo uri) {
        // attr.<code>=v, attr.<code>.gte=v, attr.<code>.lte=v: any attribute, so read from the whole query.
        return catalog.current()
                .map(attrs -> ProductQuery.of(q, sku, active, page, size, sort, after, uri.getQueryParameters(), attrs))
                .flatMap(service::list);
    }

    @GET
    @Path("export")
    @Produces(MediaType.APPLICATION_OCTET_STREAM) // the real type is set per format below
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "exportProducts",
            summary = "Export products as CSV or XLSX",
            description =
                    "Same filters and sort as the list; streamed. The CSV re-imports as is; formula-looking text is neutralised.")
    public RestMulti<byte[]> export(
            @Parameter(description = "csv (default) or xlsx") @QueryParam("format") String format,
            @QueryParam("q") String q,
            @QueryParam("sku") String sku,
            @QueryParam("active") Boolean active,
            @QueryParam("sort") String sort,
            @Context UriInfo uri) {
        String f = format == null || format.isBlank() ? "csv" : format.strip().toLowerCase(Locale.ROOT);
        if (!f.equals("csv") && !f.equals("xlsx")) {
            throw ApiException.badRequest(
                    "Unknown export format", List.of(new FieldError("format", "must be csv or xlsx", format)));
        }
        String name = "products-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now()) + "." + f;
        Map<String, List<String>> headers = Map.of(
                "Content-Type",
                List.of(f.equals("csv") ? "text/csv; charset=utf-8" : XLSX),
                "Content-Disposition",
                List.of("attachment; filename=\"" + name + "\""));
        // The query is checked against the definitions before the stream starts: a bad filter is a 400.
        return RestMulti.fromUniResponse(
                catalog.current()
                        .map(attrs -> new Export(
                                ProductQuery.of(q, sku, active, 0, null, sort, null, uri.getQueryParameters(), attrs),
                                attrs)),
                e -> f.equals("csv")
                        ? export.csv(e.query(), e.attributes().all())
                        : export.xlsx(e.query(), e.attributes().all()),
                e -> headers);
    }

    private record Export(ProductQuery query, Attributes attributes) {}

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(operationId = "getProduct", summary = "Get one product (with an ETag)")
    @APIResponse(
            responseCode = "200",
            description = "The product",
            headers =
                    @Header(
                            name = "ETag",
                            description = "The version: send it as If-Match to write",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current ETag")
    public Uni<Response> get(@PathParam("id") UUID id, @HeaderParam("If-None-Match") String ifNoneMatch) {
        return service.get(id)
                .map(p -> p.etag().equals(ifNoneMatch)
                        ? Response.notModified().header("ETag", p.etag()).build()
                        : Response.ok(p).header("ETag", p.etag()).build());
    }

    @POST
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(operationId = "createProduct", summary = "Create a product")
    @APIResponse(
            responseCode = "201",
            description = "Created; Location names it",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "409", description = "A product with this SKU (in any letter case) exists")
    public Uni<RestResponse<ProductView>> create(@Valid @NotNull ProductInput body, @Context UriInfo uri) {
        return service.create(body).map(p -> created(p, uri));
    }

    @PUT
    @Path("{id}")
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "replaceProduct",
            summary = "Replace a product",
            description = "Send If-Match with the ETag you read; a stale one gets 412.")
    @APIResponse(
            responseCode = "200",
            description = "The product as stored",
            headers =
                    @Header(
                            name = "ETag",
                            description = "The version: send it as If-Match to write",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "409", description = "Another product has this SKU")
    @APIResponse(responseCode = "412", description = "If-Match names a version that is no longer current")
    public Uni<Response> update(
            @PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch, @Valid @NotNull ProductInput body) {
        return Uni.createFrom()
                .item(() -> version(ifMatch))
                .flatMap(v -> service.update(id, body, v))
                .map(p -> Response.ok(p).header("ETag", p.etag()).build());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(operationId = "deleteProduct", summary = "Delete a product")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "412", description = "If-Match names a version that is no longer current")
    public Uni<Response> delete(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return Uni.createFrom()
                .item(() -> version(ifMatch))
                .flatMap(v -> service.delete(id, v))
                .map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("{id}/restore")
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "restoreProduct",
            summary = "Bring a deleted product back",
            description = "From the image its deletion recorded in its history (a delete here, an undo's or a "
                    + "delete-all's): the same id, SKU, fields, attributes and creation time, at a new version. "
                    + "Announced as product.restored.")
    @APIResponse(
            responseCode = "201",
            description = "Restored; Location names it",
            headers =
                    @Header(
                            name = "ETag",
                            description = "The version: send it as If-Match to write",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "404", description = "No product with this id exists or was ever recorded")
    @APIResponse(
            responseCode = "409",
            description = "reason: not-deleted (it exists), not-recorded (deleted while history was off), "
                    + "sku-taken (another product has its SKU now; takenBy names it), attributes-changed (its values "
                    + "no longer fit the attribute definitions; errors name each)")
    public Uni<RestResponse<ProductView>> restore(@PathParam("id") UUID id, @Context UriInfo uri) {
        return service.restore(id).map(p -> created(p, uri));
    }

    /** 201 with the product, its Location (from the request's base, so a proxy's scheme and host hold) and its ETag. */
    private static RestResponse<ProductView> created(ProductView p, UriInfo uri) {
        return RestResponse.ResponseBuilder.<ProductView>created(uri.getBaseUriBuilder()
                        .path(ProductResource.class)
                        .path(p.id().toString())
                        .build())
                .entity(p)
                .header("ETag", p.etag())
                .build();
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "deleteAllProducts",
            summary = "Delete every product",
            description = "Runs as a job listed with the imports (kind delete-all): undo it with undoImport, "
                    + "which brings every product back with its id, history and attributes.")
    @APIResponse(
            responseCode = "200",
            description = "How many were deleted, and the job that can undo it (absent when there were none)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProductService.DeletedAll.class)))
    public Uni<ProductService.DeletedAll> deleteAll() {
        return service.deleteAll();
    }

    @GET
    @Path("{id}/history")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "getProductHistory",
            summary = "A product's versions, newest first",
            description = "Every recorded change: by the API, an import, an undo or a delete-all, with who made it, "
                    + "when, and each changed field's before and after. Answers after the product is deleted too.")
    public Uni<PageResponse<HistoryEntry>> history(
            @PathParam("id") UUID id, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging ps = Paging.of(page, size);
        return service.history(id, ps.page(), ps.size());
    }

    /** Parses an If-Match ETag ("3", W/"3" or *) into the expected version; null means no check. */
    static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) return null;
        String tag = ifMatch.strip();
        if (tag.startsWith("W/")) tag = tag.substring(2);
        tag = tag.replace("\"", "");
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "If-Match must be an ETag this API returned",
                    List.of(new FieldError("If-Match", "is not a valid ETag", ifMatch)));
        }
    }
}
