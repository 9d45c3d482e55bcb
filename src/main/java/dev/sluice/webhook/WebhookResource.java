package dev.sluice.webhook;

import dev.sluice.common.PageResponse;
import dev.sluice.common.Paging;
import dev.sluice.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Webhooks")
public class WebhookResource {
    private final WebhookService service;

    public WebhookResource(WebhookService service) {
        this.service = service;
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "List webhook endpoints")
    public Uni<PageResponse<WebhookView>> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return Uni.createFrom().item(() -> Paging.of(page, size)).flatMap(service::list);
    }

    @GET
    @Path("event-types")
    @Operation(operationId = "listWebhookEventTypes", summary = "The event types an endpoint can subscribe to")
    public List<String> eventTypes() {
        return WebhookEventTypes.SUBSCRIBABLE;
    }

    @POST
    @Operation(
            operationId = "createWebhook",
            summary = "Create a webhook endpoint",
            description = "The response carries the signing secret; it is not shown again.")
    @APIResponse(
            responseCode = "201",
            description = "Created, with its signing secret (shown only here and on rotation); Location names it",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = WebhookView.class)))
    public Uni<RestResponse<WebhookView>> create(@NotNull WebhookInput body, @Context UriInfo uri) {
        return service.create(body)
                .map(w -> RestResponse.ResponseBuilder.<WebhookView>created(uri.getAbsolutePathBuilder()
                                .path(w.id().toString())
                                .build())
                        .entity(w)
                        .build());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getWebhook", summary = "One webhook endpoint, with whether it is enabled and why not")
    public Uni<WebhookView> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @PUT
    @Path("{id}")
    @Operation(
            operationId = "replaceWebhook",
            summary = "Replace a webhook endpoint",
            description = "Setting active to true re-enables an endpoint the dispatcher disabled.")
    public Uni<WebhookView> update(@PathParam("id") UUID id, @NotNull WebhookInput body) {
        return service.update(id, body);
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook endpoint and its delivery log")
    public Uni<RestResponse<Void>> delete(@PathParam("id") UUID id) {
        return service.delete(id).map(x -> RestResponse.noContent());
    }

    @POST
    @Path("{id}/rotate-secret")
    @Operation(
            operationId = "rotateWebhookSecret",
            summary = "Issue a new signing secret",
            description = "The old secret keeps signing beside the new one for 24 h.")
    public Uni<WebhookView.Rotated> rotateSecret(@PathParam("id") UUID id) {
        return service.rotateSecret(id);
    }

    @POST
    @Path("{id}/test")
    @Operation(operationId = "testWebhook", summary = "Send a test event now and return the attempt's result")
    public Uni<DeliveryView.AttemptResult> test(@PathParam("id") UUID id) {
        return service.test(id);
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The delivery log, newest first")
    public Uni<PageResponse<DeliveryView>> deliveries(
            @PathParam("id") UUID id,
            @QueryParam("status") String status,
            @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return Uni.createFrom().item(() -> Paging.of(page, size)).flatMap(p -> service.deliveries(id, status, p));
    }

    @GET
    @Path("{id}/deliveries/{deliveryId}")
    @Operation(operationId = "getWebhookDelivery", summary = "One delivery with every attempt")
    public Uni<DeliveryView> delivery(@PathParam("id") UUID id, @PathParam("deliveryId") UUID deliveryId) {
        return service.delivery(id, deliveryId);
    }

    @POST
    @Path("{id}/deliveries/{deliveryId}/retry")
    @Operation(
            operationId = "retryWebhookDelivery",
            summary = "Send a delivery again now",
            description = "Same webhook-id and body as the original.")
    public Uni<DeliveryView.AttemptResult> retry(@PathParam("id") UUID id, @PathParam("deliveryId") UUID deliveryId) {
        return service.replay(id, deliveryId);
    }
}
