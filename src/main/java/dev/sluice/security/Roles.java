package dev.sluice.security;

/** The three roles; each includes what the one before it may do. */
public final class Roles {
    public static final String ADMIN = "ADMIN";
    public static final String EDITOR = "EDITOR";
    public static final String VIEWER = "VIEWER";

    private Roles() {}
}
