package dev.sluice.upload;

import dev.sluice.security.CurrentUser;
import dev.sluice.security.Roles;
import dev.sluice.upload.UploadDtos.CompleteRequest;
import dev.sluice.upload.UploadDtos.UploadRequest;
import dev.sluice.upload.UploadDtos.UploadTicket;
import dev.sluice.upload.UploadDtos.UploadView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/uploads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.EDITOR, Roles.ADMIN})
@Tag(name = "Uploads")
public class UploadResource {
    private final UploadService service;

    public UploadResource(UploadService service) {
        this.service = service;
    }

    @POST
    @ResponseStatus(201)
    @Operation(
            operationId = "createUpload",
            summary = "Get presigned URLs to upload a file straight to S3",
            description =
                    "Up to 64 MB: one presigned PUT (url, method, headers). Larger: partSize and presigned parts, "
                            + "sendable in parallel; then POST /api/uploads/{uploadId}/complete with each part's ETag.")
    @APIResponse(
            responseCode = "201",
            description = "Where to PUT the file: url, method and headers for one PUT, or partSize and a URL per part",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = UploadTicket.class)))
    @APIResponse(responseCode = "413", description = "The file is larger than APP_IMPORT_MAX_FILE_SIZE")
    public Uni<UploadTicket> create(@Valid @NotNull UploadRequest body, @Context SecurityContext security) {
        return Uni.createFrom().deferred(() -> service.create(body, CurrentUser.id(security)));
    }

    @POST
    @Path("{id}/complete")
    @Operation(
            operationId = "completeUpload",
            summary = "Finish an upload",
            description = "Checks every part's ETag and the total size against S3.")
    public Uni<UploadView> complete(@PathParam("id") UUID id, @Valid CompleteRequest body) {
        return service.complete(id, body == null ? null : body.parts());
    }
}
