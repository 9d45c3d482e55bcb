package dev.sluice.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error the client caused or must know about, rendered as problem+json by {@link ProblemMapper}.
 * Carries no stack trace: these are expected outcomes, not bugs.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public ApiException(int status, String title, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, null, null);
    }

    public static ApiException badRequest(String detail, List<FieldError> errors) {
        return new ApiException(400, "Invalid request", detail, errors, null);
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, "Not found", what + " " + id + " does not exist");
    }

    public static ApiException conflict(String detail, List<FieldError> errors) {
        return new ApiException(409, "Conflict", detail, errors, null);
    }

    /** 413 for a file above the configured size limit, wherever the size becomes known. */
    public static ApiException fileTooLarge(long size, long max) {
        return new ApiException(
                413, "File too large", "The file is " + size + " bytes; the limit is " + max + " bytes");
    }

    /** Adds an RFC 9457 extension member to the problem body. */
    public ApiException with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
