package dev.sluice.audit;

import dev.sluice.common.PageResponse;
import dev.sluice.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Audit")
public class AuditResource {
    private final AuditService service;

    public AuditResource(AuditService service) {
        this.service = service;
    }

    @GET
    @Operation(operationId = "listAuditEntries", summary = "The audit trail, newest first")
    public Uni<PageResponse<AuditView>> list(
            @Parameter(description = "User id or email") @QueryParam("actor") String actor,
            @Parameter(description = "product, import, webhook, user or session") @QueryParam("entity") String entity,
            @QueryParam("entityId") String entityId,
            @Parameter(description = "An action (product.update) or a prefix (product)") @QueryParam("action")
                    String action,
            @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("to") String to,
            @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return Uni.createFrom()
                .item(() -> AuditQuery.of(actor, entity, entityId, action, from, to, page, size))
                .flatMap(service::list);
    }
}
