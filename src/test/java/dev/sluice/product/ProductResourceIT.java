package dev.sluice.product;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The products API against the packaged jar, in the prod profile. */
@QuarkusIntegrationTest
class ProductResourceIT extends ProductResourceTests {}
