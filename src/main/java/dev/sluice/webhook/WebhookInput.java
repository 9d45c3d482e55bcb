package dev.sluice.webhook;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.util.ArrayList;
import java.util.List;

/** What an admin sends to create or replace an endpoint. */
public record WebhookInput(String url, List<String> events, Boolean active, String description) {
    static final int URL_MAX = 2048, DESCRIPTION_MAX = 500;

    @JsonIgnore
    public boolean activeOrDefault() {
        return active == null || active;
    }

    /** Shape checks; whether the host may be called is {@link AddressGuard}'s job. */
    public void validate() {
        List<FieldError> errors = new ArrayList<>();
        if (url == null || url.isBlank()) {
            errors.add(new FieldError("url", "is required"));
        } else if (url.length() > URL_MAX) {
            errors.add(new FieldError("url", "must be at most " + URL_MAX + " characters"));
        } else {
            try {
                AddressGuard.checkForm(url.strip());
            } catch (AddressGuard.Refused e) {
                errors.add(new FieldError("url", e.getMessage(), url));
            }
        }
        if (events == null || events.isEmpty()) {
            errors.add(new FieldError("events", "must list at least one event type, or \"*\" for all"));
        } else {
            for (int i = 0; i < events.size(); i++) {
                String e = events.get(i) == null ? null : events.get(i).strip();
                if (e == null || !WebhookEventTypes.accepted(e)) {
                    errors.add(new FieldError(
                            "events[" + i + "]",
                            "is not an event type; use one of " + String.join(", ", WebhookEventTypes.SUBSCRIBABLE)
                                    + " or *",
                            events.get(i)));
                }
            }
        }
        if (description != null && description.length() > DESCRIPTION_MAX) {
            errors.add(new FieldError("description", "must be at most " + DESCRIPTION_MAX + " characters"));
        }
        if (!errors.isEmpty())
            throw ApiException.badRequest("The webhook endpoint has " + errors.size() + " invalid field(s)", errors);
    }
}
