package dev.sluice.webhook;

import dev.sluice.support.WebhookReceiver;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Each webhook test gets a fresh local receiver and starts and ends with no endpoints or events. */
abstract class WebhookTestBase {
    @Inject
    Pool pool;

    WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        Webhooks.reset(pool);
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
        Webhooks.reset(pool);
    }
}
