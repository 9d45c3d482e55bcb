package dev.sluice.imports;

import dev.sluice.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/uploads/{uploadId}/preview")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.EDITOR, Roles.ADMIN})
@Tag(name = "Uploads")
public class UploadPreviewResource {
    private final UploadPreviews previews;

    public UploadPreviewResource(UploadPreviews previews) {
        this.previews = previews;
    }

    @GET
    @Operation(
            operationId = "previewUpload",
            summary = "Preview an uploaded file before importing it",
            description =
                    "{format, sheets, sheet, header, rows (first 10), suggestedMapping, encoding, delimiter} for"
                            + " CSV and XLSX; sheet picks an XLSX worksheet by name or 1-based index (unknown: 422 listing them).")
    public Uni<UploadPreview> preview(@PathParam("uploadId") UUID uploadId, @QueryParam("sheet") String sheet) {
        return Uni.createFrom().deferred(() -> previews.preview(uploadId, sheet));
    }
}
