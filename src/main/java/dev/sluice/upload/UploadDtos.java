package dev.sluice.upload;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

public final class UploadDtos {
    private UploadDtos() {}

    public record UploadRequest(
            @NotBlank @Size(max = 255) String filename,
            @NotNull @Positive Long size,
            @Size(max = 255) String contentType) {}

    public record PartUrl(int partNumber, String url) {}

    /** Either url/method/headers (one PUT) or partSize/parts (multipart). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UploadTicket(
            UUID uploadId,
            String objectKey,
            Instant expiresAt,
            String url,
            String method,
            Map<String, String> headers,
            Long partSize,
            List<PartUrl> parts) {}

    public record CompletedPart(
            @NotNull @Positive Integer partNumber, @NotBlank String etag) {}

    public record CompleteRequest(List<@Valid CompletedPart> parts) {}

    public record UploadView(UUID uploadId, String objectKey, String filename, long size, String status) {}
}
