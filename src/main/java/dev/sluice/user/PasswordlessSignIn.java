package dev.sluice.user;

/**
 * Whether users can sign in without a password (with a code by email), so that an account may be
 * created without one. Declared here and implemented by the sign-in side, so that {@code user} does not
 * need to know how that sign-in works.
 */
public interface PasswordlessSignIn {
    boolean available();
}
