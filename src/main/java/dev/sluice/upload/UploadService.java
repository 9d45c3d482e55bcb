package dev.sluice.upload;

import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.Times;
import dev.sluice.common.UuidV7;
import dev.sluice.upload.UploadDtos.CompletedPart;
import dev.sluice.upload.UploadDtos.PartUrl;
import dev.sluice.upload.UploadDtos.UploadRequest;
import dev.sluice.upload.UploadDtos.UploadTicket;
import dev.sluice.upload.UploadDtos.UploadView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Direct-to-S3 uploads for SPA and mobile clients: one presigned PUT, or above a threshold
 * presigned parts the client may send in parallel, finished by {@link #complete} after checking
 * every part's ETag and the total size against what S3 actually holds.
 */
@ApplicationScoped
public class UploadService {
    private static final Logger LOG = Logger.getLogger(UploadService.class);
    private final UploadRepository uploads;
    private final ObjectStore store;
    private final PresignedUrls presigned;
    private final UploadConfig config;

    public UploadService(UploadRepository uploads, ObjectStore store, PresignedUrls presigned, UploadConfig config) {
        this.uploads = uploads;
        this.store = store;
        this.presigned = presigned;
        this.config = config;
    }

    public Uni<UploadTicket> create(UploadRequest req, UUID userId) {
        long max = config.maxFileSize().asLongValue();
        if (req.size() > max) {
            throw ApiException.fileTooLarge(req.size(), max);
        }
        Upload u = new Upload();
        u.id = UuidV7.next();
        u.objectKey = objectKey(u.id, req.filename());
        u.filename = req.filename().strip();
        u.size = req.size();
        u.contentType = req.contentType() == null ? "text/csv" : req.contentType();
        u.status = Upload.PENDING;
        u.createdBy = userId;
        u.createdAt = Times.now();
        u.expiresAt = u.createdAt.plus(config.urlTtl());
        if (req.size() <= config.multipartThreshold().asLongValue()) {
            return Panache.withTransaction(() -> uploads.persist(u))
                    .flatMap(x -> presigned.put(u.objectKey, u.contentType))
                    .map(url -> new UploadTicket(
                            u.id,
                            u.objectKey,
                            u.expiresAt,
                            url,
                            "PUT",
                            Map.of("Content-Type", u.contentType),
                            null,
                            null));
        }
        // At most 10,000 parts: raise the part size for very large files.
        long partSize = Math.max(config.partSize().asLongValue(), (req.size() + 9_999) / 10_000);
        int parts = (int) ((req.size() + partSize - 1) / partSize);
        u.partSize = partSize;
        return store.createMultipart(u.objectKey, u.contentType)
                .invoke(uploadId -> u.multipartUploadId = uploadId)
                .flatMap(r -> Panache.withTransaction(() -> uploads.persist(u)))
                .flatMap(x -> presigned.parts(u.objectKey, u.multipartUploadId, parts))
                .map(signed -> IntStream.range(0, signed.size())
                        .mapToObj(i -> new PartUrl(i + 1, signed.get(i)))
                        .toList())
                .map(urls -> new UploadTicket(u.id, u.objectKey, u.expiresAt, null, null, null, partSize, urls));
    }

    /** Checks the parts (or the single object) against S3 and the declared size, then completes it. */
    public Uni<UploadView> complete(UUID id, List<CompletedPart> claimed) {
        return Panache.withSession(() -> uploads.findById(id))
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("Upload", id))
                .flatMap(u -> {
                    if (Upload.COMPLETED.equals(u.status))
                        return Uni.createFrom().item(u);
                    if (!Upload.PENDING.equals(u.status))
                        throw new ApiException(409, "Upload not open", "This upload was " + u.status);
                    Uni<Void> done = u.multipartUploadId == null
                            ? checkSingle(u)
                            : completeMultipart(u, claimed == null ? List.of() : claimed);
                    return done.flatMap(x -> markCompleted(u.id));
                })
                .map(u -> new UploadView(u.id, u.objectKey, u.filename, u.size, u.status));
    }

    private Uni<Void> checkSingle(Upload u) {
        return store.size(u.objectKey)
                .onItem()
                .ifNull()
                .failWith(() -> new ApiException(
                        422, "Upload incomplete", "Nothing has been uploaded to the presigned URL yet"))
                .map(size -> {
                    if (size != u.size) throw sizeMismatch(u.size, size);
                    return null;
                });
    }

    private Uni<Void> completeMultipart(Upload u, List<CompletedPart> claimed) {
        return store.listParts(u.objectKey, u.multipartUploadId).flatMap(actual -> {
            List<FieldError> errors = new ArrayList<>();
            Map<Integer, UploadedPart> byNumber =
                    actual.stream().collect(Collectors.toMap(UploadedPart::number, p -> p));
            Map<Integer, String> sent = new HashMap<>();
            for (CompletedPart p : claimed) sent.put(p.partNumber(), unquote(p.etag()));
            int expected = (int) ((u.size + u.partSize - 1) / u.partSize);
            for (int n = 1; n <= expected; n++) {
                UploadedPart part = byNumber.get(n);
                if (part == null)
                    errors.add(new FieldError("parts[" + n + "]", "part " + n + " has not been uploaded"));
                else if (!sent.containsKey(n))
                    errors.add(new FieldError("parts[" + n + "]", "part " + n + " is missing from the request"));
                else if (!unquote(part.etag()).equals(sent.get(n))) {
                    errors.add(
                            new FieldError("parts[" + n + "].etag", "does not match the uploaded part", sent.get(n)));
                }
            }
            long total = actual.stream().mapToLong(UploadedPart::size).sum();
            if (errors.isEmpty() && total != u.size) throw sizeMismatch(u.size, total);
            if (!errors.isEmpty()) {
                throw new ApiException(422, "Upload incomplete", "Some parts are missing or differ", errors, null);
            }
            return store.completeMultipart(u.objectKey, u.multipartUploadId, actual);
        });
    }

    @WithTransaction
    Uni<Upload> markCompleted(UUID id) {
        return uploads.findById(id).invoke(u -> {
            u.status = Upload.COMPLETED;
            u.completedAt = Times.now();
        });
    }

    /** Aborts multipart uploads nobody finished, so S3 doesn't keep (and bill) their parts. */
    /** Aborts multipart uploads started before {@code before} and never completed; returns how many. */
    public Uni<Long> abortAbandoned(Instant before) {
        return Panache.withSession(() -> uploads.abandonedMultipart(before))
                .onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem()
                .transformToUniAndConcatenate(u -> store.abortMultipart(u.objectKey, u.multipartUploadId)
                        .onFailure()
                        .recoverWithNull()
                        .flatMap(x -> Panache.withTransaction(
                                () -> uploads.update("status = ?1 where id = ?2", Upload.ABORTED, u.id)))
                        .invoke(n -> LOG.infof("Aborted abandoned multipart upload %s (%s)", u.id, u.objectKey)))
                .collect()
                .with(Collectors.counting());
    }

    public static String objectKey(UUID id, String filename) {
        String safe = filename == null ? "upload.csv" : filename.strip().replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty()) safe = "upload.csv";
        if (safe.length() > 100) safe = safe.substring(safe.length() - 100);
        return "uploads/" + LocalDate.now(ZoneOffset.UTC) + "/" + id + "/" + safe;
    }

    private static ApiException sizeMismatch(long declared, long actual) {
        return new ApiException(
                422,
                "Size mismatch",
                "The upload was declared as " + declared + " bytes but S3 holds " + actual,
                List.of(new FieldError("size", "does not match the uploaded bytes", actual)),
                null);
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "").strip();
    }
}
