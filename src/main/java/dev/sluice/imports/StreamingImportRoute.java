package dev.sluice.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.audit.Actor;
import dev.sluice.audit.AuditLog;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.Json;
import dev.sluice.common.Problem;
import dev.sluice.common.ProblemBodies;
import dev.sluice.common.Text;
import dev.sluice.common.UuidV7;
import dev.sluice.security.Roles;
import dev.sluice.upload.MultipartUpload;
import dev.sluice.upload.ObjectStore;
import dev.sluice.upload.UploadService;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * POST /api/imports with the CSV itself — as the body (text/csv, options in the query) or as the
 * multipart/form-data field "file" (options in an "options" JSON field) — for curl and scripts.
 * The body streams into the bucket one part at a time ({@link MultipartUpload}): the request is
 * paused while a part uploads, so memory stays at one part per upload and nothing touches local
 * disk. Then the import starts through {@link ImportStarter} as if the file had been uploaded
 * first: 202 with the job. This class is the HTTP side only: routing, the caller, the stream.
 */
@ApplicationScoped
public class StreamingImportRoute {
    private static final String PATH = "/api/imports";
    private final ImportStarter starter;
    private final ObjectStore store;
    private final ProblemBodies problems;
    private final ObjectMapper json;

    public StreamingImportRoute(ImportStarter starter, ObjectStore store, ProblemBodies problems, ObjectMapper json) {
        this.starter = starter;
        this.store = store;
        this.problems = problems;
        this.json = json;
    }

    void register(@Observes Router router) {
        // Registered before Quarkus REST's routes; JSON bodies fall through to ImportResource.
        router.post(PATH)
                .consumes("text/csv")
                .consumes("text/plain")
                .consumes("application/csv")
                .consumes("application/octet-stream")
                .consumes(XLSX_TYPE)
                .order(-10)
                .handler(this::rawBody);
        router.post(PATH).consumes("multipart/form-data").order(-10).handler(this::multipart);
    }

    private void rawBody(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause();
        authorize(ctx)
                .subscribe()
                .with(
                        user -> {
                            try {
                                ImportOptions options = new ImportOptions(
                                                req.getParam("mode"),
                                                req.getParam("onError"),
                                                mapping(req.getParam("mapping")),
                                                req.getParam("delimiter"),
                                                req.getParam("encoding"),
                                                req.getParam("unmapped"),
                                                req.getParam("format"),
                                                req.getParam("sheet"))
                                        .validated();
                                checkDeclaredLength(req);
                                String filename = req.getParam("filename", defaultName(req, options));
                                new Transfer(ctx, user, filename, req).start(options);
                            } catch (ApiException e) {
                                fail(ctx, e);
                            }
                        },
                        e -> fail(ctx, e));
    }

    private void multipart(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause();
        authorize(ctx)
                .subscribe()
                .with(
                        user -> {
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
                                    upload.handler(b -> {}); // drain anything else
                                    return;
                                }
                                seen[0] = true;
                                // Options come in their own form field, possibly after the file: read them at the end.
                                new Transfer(
                                                ctx,
                                                user,
                                                upload.filename() == null ? "upload.csv" : upload.filename(),
                                                upload)
                                        .start(null);
                            });
                            req.endHandler(v -> {
                                if (!seen[0])
                                    fail(
                                            ctx,
                                            ApiException.badRequest(
                                                    "No file",
                                                    List.of(new FieldError(
                                                            "file", "send the CSV in the form field 'file'"))));
                            });
                            req.resume();
                        },
                        e -> fail(ctx, e));
    }

    /** One request body streamed into the bucket, then the job. */
    private final class Transfer {
        final RoutingContext ctx;
        final Actor user;
        final String filename;
        final ReadStream<Buffer> body;
        final MultipartUpload upload;
        boolean failed;

        Transfer(RoutingContext ctx, Actor user, String filename, ReadStream<Buffer> body) {
            this.ctx = ctx;
            this.user = user;
            this.filename = filename;
            this.body = body;
            this.upload = store.multipart(UploadService.objectKey(UuidV7.next(), filename), "text/csv");
        }

        void start(ImportOptions knownOptions) {
            body.pause();
            upload.start()
                    .subscribe()
                    .with(
                            x -> {
                                body.handler(this::onData);
                                body.exceptionHandler(e -> abort(new ApiException(
                                        400, "Upload interrupted", "The upload broke off: " + e.getMessage())));
                                body.endHandler(v -> finish(knownOptions));
                                body.resume();
                                ctx.request().resume();
                            },
                            e -> fail(ctx, e));
        }

        void onData(Buffer chunk) {
            if (failed) return;
            try {
                starter.checkSize(upload.size() + chunk.length());
            } catch (ApiException e) {
                abort(e);
                return;
            }
            if (upload.add(chunk)) {
                body.pause(); // backpressure: the client waits while this part goes to S3
                upload.sendPart()
                        .subscribe()
                        .with(
                                x -> {
                                    if (!failed) body.resume();
                                },
                                this::abort);
            }
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
            long size = upload.size();
            upload.complete()
                    .invoke(() -> {
                        // Known without reading the object: the body carried no byte at all.
                        if (size == 0)
                            throw new ApiException(
                                    422, "Empty file", "The file is empty: it needs a header row naming its columns");
                    })
                    .flatMap(x -> starter.start(upload.key(), filename, size, options, user))
                    .subscribe()
                    .with(this::accepted, e -> {
                        // The object stays only if the import was created; otherwise clean up.
                        store.deleteQuietly(upload.key());
                        fail(ctx, e);
                    });
        }

        void accepted(ImportJobView job) {
            try {
                ctx.response()
                        .setStatusCode(202)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Location", PATH + "/" + job.id())
                        .end(Json.write(json, job));
            } catch (RuntimeException e) {
                fail(ctx, e);
            }
        }

        ImportOptions formOptions() {
            String raw = ctx.request().getFormAttribute("options");
            if (raw == null || raw.isBlank()) return ImportOptions.DEFAULTS.validated();
            try {
                return json.readValue(raw, ImportOptions.class).validated();
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest(
                        "The options field is not valid JSON",
                        List.of(new FieldError("options", "must be a JSON object", Text.truncate(raw, 200))));
            }
        }

        void abort(Throwable e) {
            if (failed) return;
            failed = true;
            upload.abort();
            fail(ctx, e);
            // Stop reading what the client still sends: close once the answer is out.
            ctx.response().endHandler(v -> ctx.request().connection().close());
        }
    }

    /**
     * A body sent without a filename: named after its declared type, so only the bytes decide an
     * octet stream's format (a name ending in .csv would contradict a workbook's bytes).
     */
    private static String defaultName(HttpServerRequest req, ImportOptions options) {
        String type = req.getHeader("Content-Type");
        if (options.xlsx() || type != null && type.startsWith(XLSX_TYPE)) return "upload.xlsx";
        return type != null && type.startsWith("application/octet-stream") ? "upload" : "upload.csv";
    }

    private static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** The caller, for the job's owner and the audit trail; fails unless an EDITOR or ADMIN. */
    private Uni<Actor> authorize(RoutingContext ctx) {
        return QuarkusHttpUser.getSecurityIdentity(ctx, null).map(identity -> {
            if (identity == null || identity.isAnonymous()) throw new UnauthorizedException();
            if (!identity.hasRole(Roles.EDITOR) && !identity.hasRole(Roles.ADMIN)) throw new ForbiddenException();
            return AuditLog.actor(identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null, ctx.request());
        });
    }

    private void checkDeclaredLength(HttpServerRequest req) {
        String length = req.getHeader("Content-Length");
        if (length != null) {
            try {
                starter.checkSize(Long.parseLong(length));
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
            throw ApiException.badRequest(
                    "mapping must be a JSON object",
                    List.of(new FieldError("mapping", "must be a JSON object like {\"sku\":\"SKU\"}", raw)));
        }
    }

    /** Answers with the problem ProblemMapper would render for the same failure, unless an answer has begun. */
    private void fail(RoutingContext ctx, Throwable e) {
        if (ctx.response().ended() || ctx.response().headWritten()) return;
        ProblemBodies.Answer answer = problems.unexpected(e, PATH);
        answer.headers().forEach((k, v) -> ctx.response().putHeader(k, v));
        ctx.response()
                .setStatusCode(answer.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(answer.body());
    }
}
