package dev.sluice.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.StaleStateException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every error as RFC 9457 problem+json. Clients never see a stack trace: unexpected
 * failures are logged (by {@link ProblemBodies}, which raw Vert.x routes use too) with an id the
 * client can quote, and answered with a generic 500.
 */
public class ProblemMapper {
    private final ProblemBodies bodies;

    public ProblemMapper(ProblemBodies bodies) {
        this.bodies = bodies;
    }

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return response(bodies.answer(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldName(v), v.getMessage(), safeValue(v.getInvalidValue())))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return problem(400, "Invalid request", "The request has " + errors.size() + " invalid field(s)", uri, errors);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return response(bodies.unauthenticated(path(uri)));
    }

    @ServerExceptionMapper
    public Response authFailed(AuthenticationFailedException e, UriInfo uri) {
        return response(bodies.unauthenticated(path(uri)));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return response(bodies.forbidden(path(uri)));
    }

    @ServerExceptionMapper
    public Response staleState(StaleStateException e, UriInfo uri) {
        return response(bodies.staleState(path(uri)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException jpe) {
            return json(jpe, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        String detail =
                e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? info.getReasonPhrase() : e.getMessage();
        Response.ResponseBuilder rb =
                builder(new Problem(Problem.type(status), info.getReasonPhrase(), status, detail, path(uri), null));
        // Keep protocol headers such as Allow (405) and Retry-After.
        e.getResponse().getHeaders().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Type") && !k.equalsIgnoreCase("Content-Length")) {
                v.forEach(val -> rb.header(k, val));
            }
        });
        return rb.build();
    }

    @ServerExceptionMapper(priority = Integer.MAX_VALUE)
    public Response unexpected(Throwable e, UriInfo uri) {
        return response(bodies.unexpected(e, path(uri)));
    }

    private Response json(JsonProcessingException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        String detail = "The request body is not valid JSON";
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            String field = jme.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            String message = e instanceof InvalidFormatException ife
                    ? "must be a valid " + simpleType(ife.getTargetType())
                    : e instanceof MismatchedInputException mie && mie.getTargetType() != null
                            ? "must be a valid " + simpleType(mie.getTargetType())
                            : "has an invalid value";
            Object value = e instanceof InvalidFormatException ife ? safeValue(ife.getValue()) : null;
            errors.add(new FieldError(field, message, value));
            detail = "The request body has a field of the wrong type";
        } else if (e.getLocation() != null) {
            detail += " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        }
        return problem(400, "Malformed request body", detail, uri, errors.isEmpty() ? null : errors);
    }

    private Response problem(int status, String title, String detail, UriInfo uri, List<FieldError> errors) {
        return builder(new Problem(Problem.type(status), title, status, detail, path(uri), errors))
                .build();
    }

    private static Response response(ProblemBodies.Answer a) {
        Response.ResponseBuilder rb =
                Response.status(a.status()).type(Problem.MEDIA_TYPE).entity(a.body());
        a.headers().forEach(rb::header);
        return rb.build();
    }

    private Response.ResponseBuilder builder(Problem p) {
        return builder(p, Map.of());
    }

    private Response.ResponseBuilder builder(Problem p, Map<String, Object> extensions) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(bodies.render(p, extensions));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    private static String fieldName(ConstraintViolation<?> v) {
        // "create.body.sku" → "sku": report the property inside the body; a bare parameter by its name.
        String property = null, parameter = null;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY) {
                property = property == null ? node.getName() : property + "." + node.getName();
            } else if (node.getKind() == ElementKind.CONTAINER_ELEMENT && property != null) {
                // An element of a list ("tags[2]") or map; a set element has no address, so the set is named.
                if (node.getIndex() != null) property += "[" + node.getIndex() + "]";
                else if (node.getKey() != null) property += "[" + node.getKey() + "]";
            } else if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            }
        }
        if (property != null) return property;
        return parameter != null ? parameter : v.getPropertyPath().toString();
    }

    private static Object safeValue(Object value) {
        if (value == null) return null;
        if (value instanceof Number || value instanceof Boolean) return value;
        String s = value.toString();
        return s.length() > 200 ? Text.truncate(s, 200) + "…" : s;
    }

    private static String simpleType(Class<?> c) {
        if (c == null) return "value";
        if (Number.class.isAssignableFrom(c) || c.isPrimitive() && c != boolean.class) return "number";
        if (c == Boolean.class || c == boolean.class) return "boolean";
        if (c == String.class) return "string";
        return c.getSimpleName();
    }
}
