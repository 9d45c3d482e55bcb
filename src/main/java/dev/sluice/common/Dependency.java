package dev.sluice.common;

/** A backing service some work needs. Redis is not one: progress falls back to the database without it. */
public enum Dependency {
    POSTGRESQL("PostgreSQL"),
    S3("the S3 bucket");

    private final String label;

    Dependency(String label) {
        this.label = label;
    }

    /** How an error message names it. */
    public String label() {
        return label;
    }
}
