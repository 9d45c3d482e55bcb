package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.common.OneOf;
import dev.sluice.common.PageResponse;
import dev.sluice.common.Paging;
import dev.sluice.history.ChangeKind;
import dev.sluice.history.ChangeView;
import dev.sluice.progress.EventTokens;
import dev.sluice.progress.ProgressSnapshot;
import dev.sluice.security.CurrentUser;
import dev.sluice.security.Roles;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Encoding;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Imports")
public class ImportResource {
    private final ImportService service;
    private final EventTokens eventTokens;
    private final UndoService undo;

    public ImportResource(ImportService service, EventTokens eventTokens, UndoService undo) {
        this.service = service;
        this.eventTokens = eventTokens;
        this.undo = undo;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "startImport",
            summary = "Start an import of an uploaded file, or of the CSV sent here",
            description = "JSON {uploadId | objectKey, filename?, options}: the file uploaded first (createUpload). "
                    + "text/csv (or application/csv, text/plain, application/octet-stream): the file itself as the body, "
                    + "streamed to S3 as it arrives, options in the query. multipart/form-data: the field 'file', "
                    + "options as JSON in the field 'options'. Either way 202 with the job and its Location; "
                    + "follow it with followImportEvents.")
    // The streamed bodies are served by StreamingImportRoute (a Vert.x route in front of this method).
    @RequestBody(
            required = true,
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = ImportService.StartRequest.class)),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                @Content(
                        mediaType = MediaType.MULTIPART_FORM_DATA,
                        schema =
                                @Schema(
                                        type = SchemaType.OBJECT,
                                        requiredProperties = "file",
                                        properties = {
                                            @SchemaProperty(name = "file", type = SchemaType.STRING, format = "binary"),
                                            @SchemaProperty(name = "options", implementation = ImportOptions.class)
                                        }),
                        encoding = @Encoding(name = "options", contentType = MediaType.APPLICATION_JSON))
            })
    @Parameter(
            name = "mode",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "text/csv bodies: apply (default) or dry-run")
    @Parameter(
            name = "onError",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "text/csv bodies: skip (default) or abort")
    @Parameter(
            name = "mapping",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "text/csv bodies: JSON {field: header}, e.g. {\"sku\":\"Item Number\"}")
    @Parameter(
            name = "delimiter",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "text/csv bodies: , ; tab or | (detected when absent)")
    @Parameter(
            name = "encoding",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "text/csv bodies: a charset (UTF-8, falling back to Windows-1252)")
    @Parameter(
            name = "filename",
            in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.STRING),
            description = "text/csv bodies: the name shown in the history")
    @APIResponse(
            responseCode = "202",
            description = "Accepted: the job, queued; Location names it",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ImportJobView.class)))
    @APIResponse(responseCode = "413", description = "The file is larger than APP_IMPORT_MAX_FILE_SIZE")
    @APIResponse(responseCode = "422", description = "The file is empty or has no header row")
    public Uni<RestResponse<ImportJobView>> start(
            @Valid @NotNull ImportService.StartRequest body, @Context UriInfo uri, @Context SecurityContext security) {
        return Uni.createFrom()
                .deferred(() -> service.start(body, CurrentUser.id(security)))
                .map(job -> accepted(job, uri));
    }

    static RestResponse<ImportJobView> accepted(ImportJobView job, UriInfo uri) {
        return RestResponse.ResponseBuilder.<ImportJobView>create(RestResponse.Status.ACCEPTED)
                .location(uri.getBaseUriBuilder()
                        .path("api/imports")
                        .path(job.id().toString())
                        .build())
                .entity(job)
                .build();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "listImports",
            summary = "List imports, newest first",
            description = "With their undos and delete-alls (kind). Filter by status: queued, running, completed, "
                    + "failed, cancelled; by kind: import, undo, delete-all.")
    public Uni<PageResponse<ImportJobView>> list(
            @QueryParam("status") String status,
            @Parameter(description = "import, undo or delete-all") @QueryParam("kind") String kind,
            @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        Paging ps = Paging.of(page, size);
        return service.list(
                OneOf.check("status", status, ImportStatus.WIRE),
                OneOf.check("kind", kind, JobKind.WIRE),
                ps.page(),
                ps.size());
    }

    @GET
    @Path("{id}/changes")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "listImportChanges",
            summary = "The products a job changed, with the changed fields' before and after",
            description = "In the order the job changed them. An import lists created and updated products (a dry run "
                    + "what it would change), an undo deleted and restored ones, a delete-all deleted ones.")
    public Uni<PageResponse<ChangeView>> changes(
            @PathParam("id") UUID id,
            @Parameter(description = "created, updated, deleted or restored") @QueryParam("kind") String kind,
            @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        Paging ps = Paging.of(page, size);
        ChangeKind k = ChangeKind.of(OneOf.check("kind", kind, ChangeKind.WIRE));
        return service.changes(id, k, ps.page(), ps.size());
    }

    @GET
    @Path("{id}/changes.csv")
    @Produces("text/csv")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "downloadImportChanges",
            summary = "A job's changes as CSV, one line per changed field: productId, sku, kind, field, before, after")
    @ResponseHeader(name = "Content-Disposition", value = "attachment; filename=\"import-changes.csv\"")
    public Multi<String> changesCsv(@PathParam("id") UUID id) {
        // Streamed a page of changes at a time: constant memory for a million-row import.
        return service.changesCsv(id).onItem().transformToMulti(body -> body);
    }

    /** Body of POST /api/imports/{id}/undo. */
    public record UndoRequest(
            @Schema(description = "Restore products changed since the job too (default false: they are conflicts)")
            Boolean force) {}

    @POST
    @Path("{id}/undo")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "undoImport",
            summary = "Undo an import, a delete-all or an undo",
            description = "Queues an undo job (kind undo, undoOf this job): it deletes the products the job created, "
                    + "restores the fields it changed and brings back the products it deleted. A product changed since "
                    + "is a conflict, left as it is and listed in the undo's errors, unless force. Follow it like an "
                    + "import (SSE, cancel). Undoing an undo redoes the job. A job can be undone once; an undo that was "
                    + "cancelled or failed is resumed from its checkpoint by asking again. Undoing a delete-all (or an "
                    + "undo in its chain) takes the ADMIN role.")
    @RequestBody(
            required = false,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = UndoRequest.class)))
    @APIResponse(
            responseCode = "202",
            description = "Accepted: the undo job, queued; Location names it",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ImportJobView.class)))
    @APIResponse(responseCode = "403", description = "A delete-all's chain of undos, asked for without the ADMIN role")
    @APIResponse(
            responseCode = "409",
            description = "The job can't be undone (reason: not-ended, already-undone, dry-run, not-recorded, "
                    + "history-purged, no-changes)")
    public Uni<RestResponse<ImportJobView>> undo(
            @PathParam("id") UUID id, UndoRequest body, @Context UriInfo uri, @Context SecurityContext security) {
        boolean force = body != null && Boolean.TRUE.equals(body.force());
        return undo.undo(id, force, security.isUserInRole(Roles.ADMIN)).map(job -> accepted(job, uri));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(operationId = "getImport", summary = "One import with its counts and progress (from the database)")
    public Uni<ImportJobView> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @GET
    @Path("{id}/errors")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(operationId = "listImportErrors", summary = "Rejected rows, paged by row: line, column, value, reason")
    public Uni<PageResponse<ImportSql.ErrorEntry>> errors(
            @PathParam("id") UUID id, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging ps = Paging.of(page, size);
        return service.errors(id, ps.page(), ps.size());
    }

    @GET
    @Path("{id}/errors.csv")
    @Produces("text/csv")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "downloadImportErrors",
            summary = "The rejected rows as they were in the file, plus line and error columns")
    @ResponseHeader(name = "Content-Disposition", value = "attachment; filename=\"import-errors.csv\"")
    public Multi<String> errorsCsv(@PathParam("id") UUID id) {
        // Streamed a page of rows at a time: constant memory whatever the number of rejects.
        return service.errorsCsv(id).onItem().transformToMulti(body -> body);
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "cancelImport",
            summary = "Cancel",
            description = "Stops within a second. onError=skip keeps committed batches; abort keeps nothing.")
    public Uni<ImportJobView> cancel(@PathParam("id") UUID id) {
        return service.cancel(id);
    }

    @POST
    @Path("{id}/events-token")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            operationId = "createImportEventsToken",
            summary = "A short-lived token for EventSource",
            description = "Use as /api/imports/{id}/events?token=…; valid for this import only.")
    @APIResponse(
            responseCode = "200",
            description = "The token, its lifetime in seconds, and the stream's path with the token in it",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema =
                                    @Schema(
                                            type = SchemaType.OBJECT,
                                            requiredProperties = {"token", "expiresIn", "url"},
                                            properties = {
                                                @SchemaProperty(name = "token", type = SchemaType.STRING),
                                                @SchemaProperty(name = "expiresIn", type = SchemaType.INTEGER),
                                                @SchemaProperty(
                                                        name = "url",
                                                        type = SchemaType.STRING,
                                                        description = "/api/imports/{id}/events?token=…")
                                            })))
    public Uni<Map<String, Object>> eventsToken(@PathParam("id") UUID id, @Context SecurityContext security) {
        return service.get(id).map(job -> {
            String token = eventTokens.issue(id, String.valueOf(CurrentUser.id(security)));
            return Map.of(
                    "token",
                    token,
                    "expiresIn",
                    eventTokens.ttlSeconds(),
                    "url",
                    "/api/imports/" + id + "/events?token=" + token);
        });
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @PermitAll // checked by ImportEventsRoute: a bearer token with a role, or a token from events-token
    @Operation(
            operationId = "followImportEvents",
            summary = "Live progress (SSE)",
            description = "Server-Sent Events. 'progress': the current snapshot first, then every update; 'end': the "
                    + "final snapshot, after which the server closes the stream. Each event's data is a ProgressSnapshot "
                    + "(JSON) and its id a sequence number: send Last-Event-ID to resume after it. Comments (': keep-alive') "
                    + "every APP_IMPORT_SSE_HEARTBEAT. Authenticate with the Authorization header, or (EventSource) with "
                    + "?token= from createImportEventsToken.")
    @SecurityRequirement(name = "jwt")
    @SecurityRequirement(name = "eventsToken")
    @Parameter(
            name = "Last-Event-ID",
            in = ParameterIn.HEADER,
            description = "The id of the last event received: the stream resumes after it")
    @Parameter(name = "token", in = ParameterIn.QUERY, description = "An events token (see security)")
    @APIResponse(
            responseCode = "200",
            description = "An event stream (text/event-stream): 'event: progress' (many), then 'event: end' (once); "
                    + "each with 'id: <seq>' and 'data: <ProgressSnapshot as JSON>'",
            content =
                    @Content(
                            mediaType = MediaType.SERVER_SENT_EVENTS,
                            schema = @Schema(implementation = ProgressSnapshot.class)))
    public Multi<OutboundSseEvent> events(
            @PathParam("id") UUID id,
            @QueryParam("token") String token,
            @HeaderParam("Last-Event-ID") String lastEventId) {
        // This method documents the operation. ImportEventsRoute serves every GET of the path in front
        // of it (one encoding per event for all watchers); only a HEAD gets here.
        throw new ApiException(405, "Method not allowed", "Follow the event stream with GET");
    }
}
