package dev.sluice.user;

import dev.sluice.common.PageResponse;
import dev.sluice.common.Paging;
import dev.sluice.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Users")
public class UserResource {
    private final UserService service;

    public UserResource(UserService service) {
        this.service = service;
    }

    @GET
    @Operation(
            operationId = "listUsers",
            summary = "List users",
            description = "Paged; q searches email (contains, any case).")
    public Uni<PageResponse<UserView>> list(
            @QueryParam("q") String q, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        return service.list(q, paging.page(), paging.size());
    }

    @POST
    @Operation(operationId = "createUser", summary = "Create a user")
    @APIResponse(
            responseCode = "201",
            description = "Created; Location names it",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "409", description = "A user with this email exists")
    public Uni<RestResponse<UserView>> create(@Valid @NotNull UserInput body, @Context UriInfo uri) {
        return service.create(body)
                .map(u -> RestResponse.ResponseBuilder.<UserView>created(uri.getAbsolutePathBuilder()
                                .path(u.id().toString())
                                .build())
                        .entity(u)
                        .build());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getUser", summary = "One user")
    public Uni<UserView> get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @PUT
    @Path("{id}")
    @Operation(
            operationId = "replaceUser",
            summary = "Replace a user",
            description = "Omit password to keep it. The last active ADMIN can't be demoted or deactivated.")
    public Uni<UserView> update(@PathParam("id") UUID id, @Valid @NotNull UserInput body) {
        return service.update(id, body);
    }

    @DELETE
    @Path("{id}")
    @ResponseStatus(204)
    @Operation(
            operationId = "deleteUser",
            summary = "Delete a user",
            description = "The last active ADMIN can't be deleted.")
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return service.delete(id);
    }
}
