package dev.sluice.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details, the body of every 4xx and 5xx. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** The problem type URL for an HTTP status: one page per status documents what it means here. */
    public static String type(int status) {
        return "https://sluice.dev/problems/" + status;
    }
}
