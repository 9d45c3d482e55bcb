package dev.sluice.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.audit.AuditLog;
import dev.sluice.audit.Changes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import dev.sluice.common.Json;
import dev.sluice.common.OneOf;
import dev.sluice.common.PageResponse;
import dev.sluice.common.Paging;
import dev.sluice.common.RowDelete;
import dev.sluice.common.Times;
import dev.sluice.common.UuidV7;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class WebhookService {
    private static final List<String> DELIVERY_STATUSES = List.of("pending", "succeeded", "failed");
    private final WebhookEndpointRepository endpoints;
    private final DeliverySql deliveries;
    private final AddressGuard guard;
    private final WebhookDispatcher dispatcher;
    private final WebhooksConfig config;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final WebhookSecrets secrets;

    public WebhookService(
            WebhookEndpointRepository endpoints,
            DeliverySql deliveries,
            AddressGuard guard,
            WebhookDispatcher dispatcher,
            WebhooksConfig config,
            ObjectMapper json,
            AuditLog audit,
            WebhookSecrets secrets) {
        this.audit = audit;
        this.secrets = secrets;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.guard = guard;
        this.dispatcher = dispatcher;
        this.config = config;
        this.json = json;
    }

    @WithSession
    public Uni<PageResponse<WebhookView>> list(Paging paging) {
        return endpoints
                .page(paging.page(), paging.size())
                .flatMap(page -> endpoints
                        .count()
                        .map(total -> PageResponse.of(
                                page.stream().map(WebhookView::of).toList(),
                                paging.page(),
                                paging.size(),
                                total,
                                null)));
    }

    @WithSession
    public Uni<WebhookView> get(UUID id) {
        return find(id).map(WebhookView::of);
    }

    /** Creates an endpoint; the response is the only time its secret is shown. */
    @WithTransaction
    public Uni<WebhookView> create(WebhookInput input) {
        input.validate();
        return checkUrl(input.url().strip()).flatMap(ok -> {
            WebhookEndpoint e = new WebhookEndpoint();
            e.id = UuidV7.next();
            // Stored sealed under APP_SECRETS_KEY; the plaintext is in this response only.
            String secret = WebhookSigner.newSecret();
            e.secret = secrets.seal(secret, e.id);
            e.apply(input);
            return endpoints
                    .persistAndFlush(e)
                    .call(saved ->
                            audit.record("webhook.create", "webhook", saved.id, Changes.diff(null, fields(saved))))
                    .map(saved -> WebhookView.of(saved).withSecret(secret));
        });
    }

    @WithTransaction
    public Uni<WebhookView> update(UUID id, WebhookInput input) {
        input.validate();
        return find(id).call(e -> checkUrl(input.url().strip())).flatMap(e -> {
            Map<String, Object> before = fields(e);
            e.apply(input);
            Map<String, Object> changes = Changes.diff(before, fields(e));
            return endpoints
                    .flush()
                    .call(x -> changes.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : audit.record("webhook.update", "webhook", id, changes))
                    .map(x -> WebhookView.of(e));
        });
    }

    @WithTransaction
    public Uni<Void> delete(UUID id) {
        return find(id).call(e -> audit.record("webhook.delete", "webhook", id, Changes.diff(fields(e), null)))
                .call(e -> RowDelete.atVersion(endpoints, "webhook", id, e.version))
                .replaceWithVoid();
    }

    /** A new secret; the old one keeps signing beside it (two signatures per request) until it expires. */
    @WithTransaction
    public Uni<WebhookView.Rotated> rotateSecret(UUID id) {
        return find(id).flatMap(e -> {
            // The sealed value moves as it is: it is bound to the endpoint, not to the column.
            e.previousSecret = e.secret;
            e.previousSecretExpiresAt = Times.now().plus(config.previousSecretTtl());
            String secret = WebhookSigner.newSecret();
            e.secret = secrets.seal(secret, e.id);
            return endpoints
                    .flush()
                    // Never the secrets themselves: only that it happened and until when the old one signs.
                    .call(x -> audit.record(
                            "webhook.rotate_secret",
                            "webhook",
                            id,
                            Map.of("previousSecretExpiresAt", Map.of("after", e.previousSecretExpiresAt.toString()))))
                    .map(x -> new WebhookView.Rotated(e.id, secret, e.previousSecretExpiresAt));
        });
    }

    /** Sends a {@code test} event to this endpoint now, whether or not it is enabled, and reports the attempt. */
    public Uni<DeliveryView.AttemptResult> test(UUID id) {
        String data = toJson(Map.of("message", "Test event from Sluice", "webhookId", id));
        String owner = dispatcher.manualOwner();
        return get(id).flatMap(e -> deliveries.createTest(id, data, owner, dispatcher.lease()))
                .flatMap(deliveryId -> deliveries.claimOne(id, deliveryId, owner, dispatcher.lease()))
                .flatMap(d -> send(d, owner, false, false));
    }

    /** Sends a delivery again now, with its original webhook-id and body (receivers can tell a repeat). */
    public Uni<DeliveryView.AttemptResult> replay(UUID id, UUID deliveryId) {
        String owner = dispatcher.manualOwner();
        return get(id).flatMap(e -> deliveries.claimOne(id, deliveryId, owner, dispatcher.lease()))
                .flatMap(d -> d != null
                        ? send(d, owner, "pending".equals(d.status()), true)
                        : deliveries.find(id, deliveryId).map(row -> {
                            if (row == null) throw ApiException.notFound("Delivery", deliveryId);
                            throw new ApiException(
                                    409, "Conflict", "This delivery is being sent right now; try again in a moment");
                        }));
    }

    public Uni<PageResponse<DeliveryView>> deliveries(UUID id, String status, Paging paging) {
        OneOf.check("status", status, DELIVERY_STATUSES);
        return get(id).flatMap(e -> deliveries.page(id, status, paging.page(), paging.size()))
                .flatMap(rows -> deliveries
                        .count(id, status)
                        .map(total -> PageResponse.of(
                                rows.stream().map(r -> DeliveryView.of(r, null)).toList(),
                                paging.page(),
                                paging.size(),
                                total,
                                null)));
    }

    public Uni<DeliveryView> delivery(UUID id, UUID deliveryId) {
        return deliveries
                .find(id, deliveryId)
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("Delivery", deliveryId))
                .flatMap(row -> deliveries.attempts(deliveryId).map(a -> DeliveryView.of(row, a)));
    }

    private Uni<DeliveryView.AttemptResult> send(
            DeliverySql.Due d, String owner, boolean retrying, boolean affectsEndpoint) {
        return dispatcher.deliver(d, owner, retrying, affectsEndpoint).map(done -> {
            DeliverySql.Outcome o = done.outcome();
            int attempt = done.attempt() == null ? d.attempts() + 1 : done.attempt();
            return new DeliveryView.AttemptResult(
                    d.id(),
                    WebhookSigner.messageId(d.eventId()),
                    d.type(),
                    attempt,
                    o.success(),
                    o.statusCode(),
                    o.responseMs(),
                    o.error(),
                    o.status(),
                    o.nextAttemptAt());
        });
    }

    private Uni<Void> checkUrl(String url) {
        return guard.check(url)
                .onFailure(AddressGuard.Refused.class)
                .transform(e -> new ApiException(
                        422,
                        "Webhook URL not allowed",
                        "Webhooks may only call public addresses, or networks listed in APP_WEBHOOKS_ALLOWED_NETWORKS",
                        List.of(new FieldError("url", e.getMessage(), url)),
                        null))
                .replaceWithVoid();
    }

    /** The audited fields of an endpoint: never its secrets. */
    private static Map<String, Object> fields(WebhookEndpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", e.url);
        m.put("events", List.of(e.events));
        m.put("active", e.active);
        m.put("description", e.description);
        return m;
    }

    private Uni<WebhookEndpoint> find(UUID id) {
        return endpoints.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("Webhook", id));
    }

    private String toJson(Object o) {
        return Json.write(json, o);
    }
}
