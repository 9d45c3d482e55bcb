package dev.sluice.attribute;

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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/attributes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Attributes")
public class AttributeResource {
    private final AttributeService service;

    public AttributeResource(AttributeService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(operationId = "listAttributes", summary = "List attribute definitions (by code)")
    public Uni<List<AttributeView>> list() {
        return service.list();
    }

    @GET
    @Path("{code}")
    @RolesAllowed({Roles.VIEWER, Roles.EDITOR, Roles.ADMIN})
    @Operation(operationId = "getAttribute", summary = "One attribute definition")
    public Uni<AttributeView> get(@PathParam("code") String code) {
        return service.get(code);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createAttribute", summary = "Define an attribute")
    public Uni<RestResponse<AttributeView>> create(@NotNull AttributeInput body, @Context UriInfo uri) {
        return Uni.createFrom()
                .deferred(() -> service.create(body))
                .map(a -> RestResponse.ResponseBuilder.<AttributeView>created(
                                uri.getAbsolutePathBuilder().path(a.code()).build())
                        .entity(a)
                        .build());
    }

    @PUT
    @Path("{code}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "updateAttribute",
            summary = "Replace an attribute definition",
            description =
                    "A type or options change converts the stored values, or is refused (409) with how many can't take it.")
    public Uni<AttributeView> update(@PathParam("code") String code, @NotNull AttributeInput body) {
        return Uni.createFrom().deferred(() -> service.update(code, body));
    }

    @DELETE
    @Path("{code}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "deleteAttribute",
            summary = "Delete an attribute definition",
            description = "Refused (409) while products have a value for it, unless purge=true removes those values.")
    public Uni<Response> delete(@PathParam("code") String code, @QueryParam("purge") boolean purge) {
        return Uni.createFrom()
                .deferred(() -> service.delete(code, purge))
                .map(x -> Response.noContent().build());
    }
}
