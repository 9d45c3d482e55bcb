package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.security.Roles;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.ProblemBodies;
import dev.sluice.common.SdkCalls;
import dev.sluice.common.Text;
import dev.sluice.common.UuidV7;
import dev.sluice.upload.StorageConfig;
import dev.sluice.upload.UploadService;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import dev.sluice.audit.Actor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * POST /api/imports with the CSV itself — as the body (text/csv, options in the query) or as the
 * multipart/form-data field "file" (options in an "options" JSON field) — for curl and scripts.
 * The body streams into an S3 multipart upload one part at a time: the request is paused while a
 * part uploads, so memory stays at one part per upload and nothing touches local disk. Then the
 * import starts as if the file had been uploaded first: 202 with the job.
 */
@ApplicationScoped
public class StreamingImportRoute {
    private static final Logger LOG = Logger.getLogger(StreamingImportRoute.class);
    /** S3's minimum part size; every part but the last must be at least this. */
    static final int PART_SIZE = 8 * 1024 * 1024;
    private final ImportService imports;
    private final S3AsyncClient s3;
    private final StorageConfig storage;
    private final ProblemBodies problems;
    private final ObjectMapper json;

    public StreamingImportRoute(ImportService imports, S3AsyncClient s3, StorageConfig storage, ProblemBodies problems,
                                ObjectMapper json) {
        this.imports = imports;
        this.s3 = s3;
        this.storage = storage;
        this.problems = problems;
        this.json = json;
    }

    void register(@Observes Router router) {
        // Registered before Quarkus REST's routes; JSON bodies fall through to ImportResource.
        router.post("/api/imports").consumes("text/csv").consumes("text/plain").consumes("application/csv")
                .consumes("application/octet-stream").order(-10).handler(this::rawBody);
        router.post("/api/imports").consumes("multipart/form-data").order(-10).handler(this::multipart);
    }

    private void rawBody(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause();
        authorize(ctx).subscribe().with(user -> {
            try {
                ImportOptions options = new ImportOptions(req.getParam("mode"), req.getParam("onError"), mapping(req.getParam("mapping")),
                        req.getParam("delimiter"), req.getParam("encoding")).validated();
                checkDeclaredLength(req);
                String filename = req.getParam("filename", "upload.csv");
                new Transfer(ctx, user, filename, req).start(options);
            } catch (ApiException e) {
                fail(ctx, e);
            }
        }, e -> fail(ctx, e));
    }

    private void multipart(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause();
        authorize(ctx).subscribe().with(user -> {
            try {
                checkDeclaredLength(req);
            } catch (ApiException e) {
                fail(ctx, e);
                return;
            }
            req.setExpectMultipart(true);
            boolean[] seen = {false};
            req.uploadHandler(upload -> {
                if (!"file".equals(upload.name()) || seen[0]) {
                    upload.handler(b -> { }); // drain anything else
                    return;
                }
                seen[0] = true;
                // Options come in their own form field, possibly after the file: read them at the end.
                new Transfer(ctx, user, upload.filename() == null ? "upload.csv" : upload.filename(), upload).start(null);
            });
            req.endHandler(v -> {
                if (!seen[0]) fail(ctx, ApiException.badRequest("No file", List.of(new FieldError("file", "send the CSV in the form field 'file'"))));
            });
            req.resume();
        }, e -> fail(ctx, e));
    }

    /** One streamed upload into S3, then the job. */
    private final class Transfer {
        final RoutingContext ctx;
        final Actor user;
        final String filename;
        final ReadStream<Buffer> body;
        final String key;
        final List<CompletedPart> parts = new ArrayList<>();
        Buffer pending = Buffer.buffer();
        long total;
        String uploadId;
        boolean failed;

        Transfer(RoutingContext ctx, Actor user, String filename, ReadStream<Buffer> body) {
            this.ctx = ctx;
            this.user = user;
            this.filename = filename;
            this.body = body;
            this.key = UploadService.objectKey(UuidV7.next(), filename);
        }

        void start(ImportOptions knownOptions) {
            body.pause();
            SdkCalls.call(() -> s3.createMultipartUpload(b -> b.bucket(storage.bucket()).key(key).contentType("text/csv")))
                    .subscribe().with(r -> {
                        uploadId = r.uploadId();
                        body.handler(this::onData);
                        body.exceptionHandler(e -> abort(new ApiException(400, "Upload interrupted", "The upload broke off: " + e.getMessage())));
                        body.endHandler(v -> finish(knownOptions));
                        body.resume();
                        ctx.request().resume();
                    }, e -> fail(ctx, e));
        }

        void onData(Buffer chunk) {
            if (failed) return;
            total += chunk.length();
            try {
                imports.checkSize(total);
            } catch (ApiException e) {
                abort(e);
                return;
            }
            pending.appendBuffer(chunk);
            if (pending.length() >= PART_SIZE) {
                body.pause(); // backpressure: the client waits while this part goes to S3
                Buffer part = pending;
                pending = Buffer.buffer();
                uploadPart(part).subscribe().with(x -> {
                    if (!failed) body.resume();
                }, e -> abort(e));
            }
        }

        Uni<Void> uploadPart(Buffer part) {
            int number = parts.size() + 1;
            byte[] bytes = part.getBytes();
            return SdkCalls.call(() -> s3.uploadPart(b -> b.bucket(storage.bucket()).key(key).uploadId(uploadId).partNumber(number),
                            AsyncRequestBody.fromBytes(bytes)))
                    .invoke(r -> parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).build()))
                    .replaceWithVoid();
        }

        void finish(ImportOptions knownOptions) {
            if (failed) return;
            ImportOptions options;
            try {
                options = knownOptions != null ? knownOptions : formOptions();
            } catch (ApiException e) {
                abort(e);
                return;
            }
            Uni<Void> last = pending.length() > 0 || parts.isEmpty() ? uploadPart(pending) : Uni.createFrom().voidItem();
            last.flatMap(x -> SdkCalls.call(() -> s3.completeMultipartUpload(b -> b.bucket(storage.bucket()).key(key).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts)))))
                    .flatMap(x -> imports.headerOf(key).invoke(bytes -> {
                        if (total == 0) throw new ApiException(422, "Empty file", "The file is empty: it needs a header row naming its columns");
                        imports.checkHeader(bytes, options);
                    }))
                    .flatMap(x -> imports.create(key, filename, total, options, user))
                    .subscribe().with(job -> {
                        imports.wakeRunner();
                        try {
                            ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                                    .putHeader("Location", "/api/imports/" + job.id()).end(json.writeValueAsString(job));
                        } catch (JsonProcessingException e) {
                            fail(ctx, e);
                        }
                    }, e -> {
                        // The object stays only if the import was created; otherwise clean up.
                        imports.deleteQuietly(key);
                        fail(ctx, e);
                    });
        }

        ImportOptions formOptions() {
            String raw = ctx.request().getFormAttribute("options");
            if (raw == null || raw.isBlank()) return ImportOptions.DEFAULTS.validated();
            try {
                return json.readValue(raw, ImportOptions.class).validated();
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("The options field is not valid JSON",
                        List.of(new FieldError("options", "must be a JSON object", Text.truncate(raw, 200))));
            }
        }

        void abort(Throwable e) {
            if (failed) return;
            failed = true;
            if (uploadId != null) {
                SdkCalls.call(() -> s3.abortMultipartUpload(b -> b.bucket(storage.bucket()).key(key).uploadId(uploadId)))
                        .subscribe().with(x -> { }, err -> LOG.debugf("abort failed: %s", err.getMessage()));
            }
            fail(ctx, e);
            // Stop reading what the client still sends: close once the answer is out.
            ctx.response().endHandler(v -> ctx.request().connection().close());
        }
    }

    /** The caller, for the job's owner and the audit trail; fails unless an EDITOR or ADMIN. */
    private Uni<Actor> authorize(RoutingContext ctx) {
        return QuarkusHttpUser.getSecurityIdentity(ctx, null).map(identity -> {
            if (identity == null || identity.isAnonymous()) throw new io.quarkus.security.UnauthorizedException();
            if (!identity.hasRole(Roles.EDITOR) && !identity.hasRole(Roles.ADMIN)) throw new io.quarkus.security.ForbiddenException();
            var address = ctx.request().remoteAddress();
            return new Actor(userId(identity), identity.getPrincipal().getName(), address == null ? null : address.hostAddress(),
                    ctx.request().getHeader("User-Agent"));
        });
    }

    private static UUID userId(SecurityIdentity identity) {
        try {
            return identity.getPrincipal() instanceof JsonWebToken jwt ? UUID.fromString(jwt.getSubject()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void checkDeclaredLength(HttpServerRequest req) {
        String length = req.getHeader("Content-Length");
        if (length != null) {
            try {
                imports.checkSize(Long.parseLong(length));
            } catch (NumberFormatException ignored) {
                // chunked or bogus: counted while streaming
            }
        }
    }

    private Map<String, String> mapping(String raw) {
        if (raw == null || raw.isBlank()) return null;
        try {
            return json.readValue(raw, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("mapping must be a JSON object", List.of(new FieldError("mapping",
                    "must be a JSON object like {\"sku\":\"SKU\"}", raw)));
        }
    }

    private void fail(RoutingContext ctx, Throwable e) {
        if (ctx.response().ended() || ctx.response().headWritten()) return;
        ApiException api = switch (e) {
            case ApiException a -> a;
            case io.quarkus.security.UnauthorizedException u -> new ApiException(401, "Unauthorized", "A valid bearer token is required");
            case io.quarkus.security.AuthenticationFailedException u -> new ApiException(401, "Unauthorized", "A valid bearer token is required");
            case io.quarkus.security.ForbiddenException f -> new ApiException(403, "Forbidden", "Your role does not allow this action");
            default -> {
                String ref = UuidV7.next().toString();
                LOG.errorf(e, "Streaming import failed (error id %s)", ref);
                yield new ApiException(500, "Internal error", "Something went wrong on our side (error id " + ref + ")");
            }
        };
        if (api.status() == 401) ctx.response().putHeader("WWW-Authenticate", "Bearer");
        api.headers().forEach((k, v) -> ctx.response().putHeader(k, v));
        ctx.response().setStatusCode(api.status()).putHeader("Content-Type", "application/problem+json")
                .end(problems.render(api, "/api/imports"));
    }
}
