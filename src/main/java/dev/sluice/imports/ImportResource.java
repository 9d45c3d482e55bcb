package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.PageResponse;
import dev.sluice.common.Paging;
import dev.sluice.progress.EventTokens;
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
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Imports")
public class ImportResource {
    private final ImportService service;
    private final ImportEvents events;
    private final EventTokens eventTokens;

    public ImportResource(ImportService service, ImportEvents events, EventTokens eventTokens) {
        this.service = service;
        this.events = events;
        this.eventTokens = eventTokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(
            summary = "Start an import of an uploaded file",
            description =
                    "Body {uploadId | objectKey, filename?, options}. 202 with the job; watch it at /api/imports/{id}/events. "
                            + "To send the CSV itself, POST it here as text/csv or multipart/form-data instead.")
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
            summary = "List imports, newest first",
            description = "Filter by status: queued, running, completed, failed, cancelled.")
    public Uni<PageResponse<ImportJobView>> list(
            @QueryParam("status") String status, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging ps = Paging.of(page, size);
        if (status != null && ImportStatus.of(status) == null) {
            throw ApiException.badRequest(
                    "Unknown status",
                    List.of(new FieldError(
                            "status", "must be queued, running, completed, failed or cancelled", status)));
        }
        return service.list(status, ps.page(), ps.size());
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(summary = "One import with its counts and progress (from the database)")
    public Uni<ImportJobView> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @GET
    @Path("{id}/errors")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(summary = "Rejected rows, paged by row: line, column, value, reason")
    public Uni<PageResponse<ImportSql.ErrorEntry>> errors(
            @PathParam("id") UUID id, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging ps = Paging.of(page, size);
        return service.errors(id, ps.page(), ps.size());
    }

    @GET
    @Path("{id}/errors.csv")
    @Produces("text/csv")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(summary = "The rejected rows as they were in the file, plus line and error columns")
    @ResponseHeader(name = "Content-Disposition", value = "attachment; filename=\"import-errors.csv\"")
    public Multi<String> errorsCsv(@PathParam("id") UUID id) {
        // Streamed a page of rows at a time: constant memory whatever the number of rejects.
        return service.errorsCsv(id).onItem().transformToMulti(body -> body);
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({Roles.EDITOR, Roles.ADMIN})
    @Operation(
            summary = "Cancel",
            description = "Stops within a second. onError=skip keeps committed batches; abort keeps nothing.")
    public Uni<ImportJobView> cancel(@PathParam("id") UUID id) {
        return service.cancel(id);
    }

    @POST
    @Path("{id}/events-token")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(
            summary = "A short-lived token for EventSource",
            description = "Use as /api/imports/{id}/events?token=…; valid for this import only.")
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
    @PermitAll // checked by ImportEventsAuthFilter: a bearer token with a role, or a token from events-token
    @Operation(
            summary = "Live progress (SSE)",
            description =
                    "The current snapshot, every update, then one 'end' event. "
                            + "Send Last-Event-ID to resume. Authenticate with the Authorization header or ?token= from events-token.")
    public Multi<OutboundSseEvent> events(
            @PathParam("id") UUID id,
            @QueryParam("token") String token,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        long last = parseLastEventId(lastEventId);
        return events.stream(id, last).map(item -> {
            if (item.heartbeat())
                return sse.newEventBuilder().comment("keep-alive").build();
            return sse.newEventBuilder()
                    .name(item.name())
                    .id(Long.toString(item.id()))
                    .reconnectDelay(3000)
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(item.data())
                    .build();
        });
    }

    private static long parseLastEventId(String h) {
        try {
            return h == null || h.isBlank() ? 0 : Long.parseLong(h.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
