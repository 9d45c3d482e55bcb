package dev.sluice.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The web UI in a real browser: runs {@code src/test/ui/browser.test.mjs} (Playwright driving Debian's
 * Chromium) against this test server, its database, Redis and bucket. {@code scripts/test} installs
 * Chromium and the npm package; skip with {@code -Dsluice.ui-tests=false} on a machine without them.
 */
@QuarkusTest
class WebUiBrowserTests {
    private static final Path SCRIPT_DIR = Path.of("src/test/ui");

    @TestHTTPResource("/")
    URL base;

    @Test
    void theWebAppWorksInARealBrowser() throws Exception {
        if ("false".equals(System.getProperty("sluice.ui-tests"))) return;
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))
                || !Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            fail("Browser tests need " + chromium + " and src/test/ui/node_modules (scripts/test installs both: "
                    + "apt-get install chromium; npm ci --prefix src/test/ui). Skip with -Dsluice.ui-tests=false.");
        }
        Path log = Path.of("target/ui-tests.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder("node", "browser.test.mjs")
                .directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("BASE_URL", base.toString());
        pb.environment().put("CHROMIUM", chromium);
        // The test SMTP server's POP3 port (SmtpServer): the script reads the sign-in code from the mailbox.
        pb.environment().put("POP3_PORT", ConfigProvider.getConfig().getValue("sluice.test.pop3-port", String.class));
        String shots = System.getenv("UI_SCREENSHOT_DIR");
        if (shots != null)
            pb.environment()
                    .put("SCREENSHOT_DIR", Path.of(shots).toAbsolutePath().toString());
        Process node = pb.start();
        boolean done = node.waitFor(8, TimeUnit.MINUTES);
        if (!done) node.destroyForcibly();
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(done).as("browser tests finished in time").isTrue();
        assertThat(node.exitValue())
                .as("browser tests (see target/ui-tests.log and target/ui-screenshots)\n" + output)
                .isZero();
        assertThat(output).contains("browser tests passed").doesNotContain("FAIL");
    }
}
