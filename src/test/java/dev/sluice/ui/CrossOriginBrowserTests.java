package dev.sluice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web app on another origin than the API: runs {@code src/test/ui/cross-origin.test.mjs}, which
 * serves a copy of the app from a plain static server on a second port, its {@code sluice-api-base}
 * meta tag pointing at this test server, and has Chromium sign in, import (following the SSE stream)
 * and list products across origins. Needs what WebUiBrowserTests needs; skip with -Dsluice.ui-tests=false.
 */
@QuarkusTest
class CrossOriginBrowserTests {
    private static final Path SCRIPT_DIR = Path.of("src/test/ui");

    @TestHTTPResource("/")
    URL base;

    @Test
    void theWebAppWorksFromASecondOrigin() throws Exception {
        if ("false".equals(System.getProperty("sluice.ui-tests"))) return;
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))
                || !Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            fail("Browser tests need " + chromium + " and src/test/ui/node_modules (scripts/test installs both). "
                    + "Skip with -Dsluice.ui-tests=false.");
        }
        // The API's origin as the browser will see it: localhost, while the app is on 127.0.0.1.
        String api = base.toString().replace("127.0.0.1", "localhost");
        Path log = Path.of("target/ui-cross-origin.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder("node", "cross-origin.test.mjs")
                .directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("API_URL", api);
        pb.environment().put("CHROMIUM", chromium);
        Process node = pb.start();
        boolean done = node.waitFor(4, TimeUnit.MINUTES);
        if (!done) node.destroyForcibly();
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(done).as("cross-origin browser tests finished in time").isTrue();
        assertThat(node.exitValue())
                .as("cross-origin browser tests (see target/ui-cross-origin.log)\n" + output)
                .isZero();
        assertThat(output).contains("cross-origin browser tests passed").doesNotContain("FAIL");
    }
}
