package dev.sluice.auth.otp;

import dev.sluice.auth.AuthDtos.Client;
import dev.sluice.auth.AuthDtos.TokenResponse;
import dev.sluice.auth.otp.OtpDtos.CodeRequest;
import dev.sluice.auth.otp.OtpDtos.CodeVerify;
import dev.sluice.auth.otp.OtpDtos.Requested;
import dev.sluice.auth.otp.OtpDtos.Settings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/auth/otp")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Auth")
public class OtpResource {
    private final OtpService otp;

    public OtpResource(OtpService otp) {
        this.otp = otp;
    }

    @GET
    @PermitAll
    @Operation(
            operationId = "getCodeSignInSettings",
            summary = "Whether sign-in with a code by email is offered, and its timings")
    public Settings settings() {
        return otp.settings();
    }

    @POST
    @Path("request")
    @PermitAll
    @ResponseStatus(202)
    @Operation(
            operationId = "requestSignInCode",
            summary = "Email a sign-in code",
            description = "Always 202 with the same body, whether or not the email has an account. 429 (Retry-After) "
                    + "within the resend cooldown or past the hourly cap; 503 if the mail server is unavailable.")
    @APIResponse(
            responseCode = "202",
            description = "The same answer whether or not the email has an account",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Requested.class)))
    @APIResponse(responseCode = "429", description = "Too many attempts for this email or client; see Retry-After")
    public Uni<Requested> request(@Valid @NotNull CodeRequest body, @Context HttpServerRequest request) {
        return otp.request(body.email(), client(request));
    }

    @POST
    @Path("verify")
    @PermitAll
    @Operation(
            operationId = "verifySignInCode",
            summary = "Sign in with the emailed code",
            description = "Returns the same token pair as a password login. Wrong codes are counted; too many lock "
                    + "code sign-in for the email (429 with Retry-After).")
    @APIResponse(
            responseCode = "200",
            description = "The token pair, as for a password login",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "Wrong or expired code")
    @APIResponse(responseCode = "429", description = "Too many attempts for this email or client; see Retry-After")
    public Uni<TokenResponse> verify(@Valid @NotNull CodeVerify body, @Context HttpServerRequest request) {
        return otp.verify(body.email(), body.code(), client(request));
    }

    private static Client client(HttpServerRequest request) {
        String ip =
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return new Client(ip, request.getHeader("User-Agent"));
    }
}
