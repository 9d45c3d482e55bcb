package dev.sluice.auth.otp;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response bodies of /api/auth/otp. */
public final class OtpDtos {
    private OtpDtos() {}

    public record CodeRequest(
            @NotBlank @Email @Size(max = 254) String email) {}

    public record CodeVerify(
            @NotBlank @Size(max = 254) String email,

            @NotNull @Pattern(regexp = "\\s*\\d{6}\\s*", message = "must be the 6-digit code from the email")
            String code) {}

    /** The same for every address, with or without an account. */
    public record Requested(String message, long expiresIn, long resendAfter) {}

    /** What a sign-in page needs to know before offering "Email me a code". */
    public record Settings(boolean enabled, int codeLength, long expiresIn, long resendAfter) {}
}
