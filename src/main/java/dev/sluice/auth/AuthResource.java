package dev.sluice.auth;

import dev.sluice.auth.AuthDtos.Client;
import dev.sluice.auth.AuthDtos.LoginRequest;
import dev.sluice.auth.AuthDtos.Me;
import dev.sluice.auth.AuthDtos.RefreshRequest;
import dev.sluice.auth.AuthDtos.SessionView;
import dev.sluice.auth.AuthDtos.TokenResponse;
import dev.sluice.security.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Auth")
public class AuthResource {
    private final AuthService auth;

    public AuthResource(AuthService auth) {
        this.auth = auth;
    }

    @POST
    @Path("login")
    @PermitAll
    @Operation(
            operationId = "login",
            summary = "Log in",
            description = "Returns a 15-minute access token and a 30-day refresh token.")
    @APIResponse(
            responseCode = "200",
            description = "The token pair",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "Wrong email or password")
    @APIResponse(responseCode = "429", description = "Too many attempts for this email or client; see Retry-After")
    public Uni<TokenResponse> login(@Valid @NotNull LoginRequest body, @Context HttpServerRequest request) {
        return auth.login(body.email(), body.password(), client(request));
    }

    @POST
    @Path("refresh")
    @PermitAll
    @Operation(
            operationId = "refreshTokens",
            summary = "Trade a refresh token for a new pair",
            description = "The old refresh token stops working.")
    public Uni<TokenResponse> refresh(@Valid @NotNull RefreshRequest body, @Context HttpServerRequest request) {
        return auth.refresh(body.refreshToken(), client(request));
    }

    @POST
    @Path("logout")
    @Authenticated
    @ResponseStatus(204)
    @Operation(operationId = "logout", summary = "End the current session")
    @APIResponse(responseCode = "204", description = "The session is ended; its tokens stop working")
    public Uni<Void> logout(@Context SecurityContext security) {
        return auth.logout(CurrentUser.sessionId(security));
    }

    @POST
    @Path("logout-all")
    @Authenticated
    @ResponseStatus(204)
    @Operation(operationId = "logoutAll", summary = "End every session of the current user")
    @APIResponse(responseCode = "204", description = "Every session of the user is ended")
    public Uni<Void> logoutAll(@Context SecurityContext security) {
        return auth.logoutAll(CurrentUser.id(security));
    }

    @GET
    @Path("me")
    @Authenticated
    @Operation(operationId = "getCurrentUser", summary = "The signed-in user: id, email and roles")
    public Me me(@Context SecurityContext security) {
        JsonWebToken jwt = jwt(security);
        return new Me(UUID.fromString(jwt.getSubject()), jwt.getName(), new HashSet<>(jwt.getGroups()));
    }

    @GET
    @Path("sessions")
    @Authenticated
    @Operation(operationId = "listSessions", summary = "The current user's live sessions")
    public Uni<List<SessionView>> sessions(@Context SecurityContext security) {
        return auth.sessions(CurrentUser.id(security), CurrentUser.sessionId(security));
    }

    @DELETE
    @Path("sessions/{id}")
    @Authenticated
    @ResponseStatus(204)
    @Operation(operationId = "revokeSession", summary = "Revoke one of the current user's sessions")
    public Uni<Void> revoke(@PathParam("id") UUID id, @Context SecurityContext security) {
        return auth.revokeSession(CurrentUser.id(security), id);
    }

    static JsonWebToken jwt(SecurityContext security) {
        return (JsonWebToken) security.getUserPrincipal();
    }

    private static Client client(HttpServerRequest request) {
        String ip =
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return new Client(ip, request.getHeader("User-Agent"));
    }
}
