package dev.sluice.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One invalid field in a problem response: which field, why, and (when safe to echo) the value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String message, Object rejectedValue) {
    public FieldError(String field, String message) {
        this(field, message, null);
    }
}
