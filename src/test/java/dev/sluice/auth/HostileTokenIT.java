package dev.sluice.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Hostile tokens against the packaged jar, in the prod profile. */
@QuarkusIntegrationTest
class HostileTokenIT extends HostileTokenTests {}
