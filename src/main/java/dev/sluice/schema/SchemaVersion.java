package dev.sluice.schema;

/**
 * The schema version this build runs on: the highest {@code V<n>__*.sql} under {@code db/migration}.
 * A constant rather than a classpath scan so that a start on a current schema needs one query and no
 * Flyway at all; {@code SchemaVersionTest} fails the build when a migration is added without it. Only
 * whole-number versions ({@code V13__…}), never {@code V12_1__} or repeatable {@code R__} scripts: the
 * start-up check compares whole numbers, so those would be skipped (the test refuses them).
 */
public final class SchemaVersion {
    public static final int LATEST = 12;

    private SchemaVersion() {}
}
