package dev.sluice.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Set;

/**
 * Create or replace a user. On update, a null password keeps the current one.
 */
public record UserInput(
        @NotBlank @Email @Size(max = 254) String email,

        @Size(min = 8, max = 72, message = "size must be between 8 and 72")
        String password,

        @NotEmpty
        Set<@Pattern(regexp = "ADMIN|EDITOR|VIEWER", message = "must be ADMIN, EDITOR or VIEWER") String> roles,

        Boolean active) {}
