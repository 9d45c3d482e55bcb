package dev.sluice.audit;

import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.Paging;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Filters of GET /api/audit, validated. */
public record AuditQuery(
        UUID actorId,
        String actorEmail,
        String entity,
        String entityId,
        String action,
        Instant from,
        Instant to,
        int page,
        int size) {

    public static AuditQuery of(
            String actor,
            String entity,
            String entityId,
            String action,
            String from,
            String to,
            Integer page,
            Integer size) {
        List<FieldError> errors = new ArrayList<>();
        UUID actorId = null;
        String actorEmail = null;
        if (actor != null && !actor.isBlank()) {
            try {
                actorId = UUID.fromString(actor.strip());
            } catch (IllegalArgumentException e) {
                actorEmail = actor.strip(); // not an id: an email
            }
        }
        Instant f = instant("from", from, errors), t = instant("to", to, errors);
        if (f != null && t != null && !f.isBefore(t)) errors.add(new FieldError("to", "must be after from", to));
        Paging paging;
        try {
            paging = Paging.of(page, size);
        } catch (ApiException e) {
            errors.addAll(e.errors());
            paging = null;
        }
        if (!errors.isEmpty()) throw ApiException.badRequest("Invalid audit filters", errors);
        return new AuditQuery(
                actorId,
                actorEmail,
                blankToNull(entity),
                blankToNull(entityId),
                blankToNull(action),
                f,
                t,
                paging.page(),
                paging.size());
    }

    private static Instant instant(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) return null;
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z", value));
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
