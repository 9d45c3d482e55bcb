package dev.sluice.common;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Health, metrics and OpenAPI against the packaged jar, in the prod profile. */
@QuarkusIntegrationTest
class OpsEndpointsIT extends OpsEndpointsTests {}
