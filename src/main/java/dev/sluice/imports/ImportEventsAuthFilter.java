package dev.sluice.imports;

import dev.sluice.common.ApiException;
import dev.sluice.progress.EventTokens;
import dev.sluice.security.Roles;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Who may follow an import's events: a bearer token with a role, or an events token for that very
 * import (EventSource can't send headers). Checked before the stream starts, so a refusal is a
 * real 401/403 problem rather than a broken stream.
 */
public class ImportEventsAuthFilter {
    private static final Set<String> READERS = Set.of(Roles.VIEWER, Roles.EDITOR, Roles.ADMIN);
    private final EventTokens tokens;
    private final CurrentIdentityAssociation identity;

    public ImportEventsAuthFilter(EventTokens tokens, CurrentIdentityAssociation identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @ServerRequestFilter
    public Uni<Response> authorize(ContainerRequestContext ctx, SimpleResourceInfo resource) {
        if (resource == null
                || resource.getResourceClass() != ImportResource.class
                || !"events".equals(resource.getMethodName())) {
            return Uni.createFrom().nullItem();
        }
        String token = ctx.getUriInfo().getQueryParameters().getFirst("token");
        if (token != null && !token.isBlank()) {
            UUID id;
            try {
                id = UUID.fromString(ctx.getUriInfo().getPathParameters().getFirst("id"));
            } catch (RuntimeException e) {
                return Uni.createFrom()
                        .failure(ApiException.notFound(
                                "Import", ctx.getUriInfo().getPathParameters().getFirst("id")));
            }
            return tokens.allows(token, id)
                    ? Uni.createFrom().nullItem()
                    : Uni.createFrom()
                            .failure(new ApiException(
                                    401, "Unauthorized", "The events token is invalid, expired or for another import"));
        }
        return identity.getDeferredIdentity().map(i -> {
            if (i.isAnonymous()) throw new UnauthorizedException();
            if (i.getRoles().stream().noneMatch(READERS::contains)) throw new ForbiddenException();
            return null;
        });
    }
}
