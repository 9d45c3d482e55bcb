package dev.sluice.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyStatus;
import dev.sluice.support.Await;
import dev.sluice.support.S3Proxy;
import dev.sluice.upload.s3.BucketCheckException;
import dev.sluice.upload.s3.BucketHead;
import dev.sluice.upload.s3.BucketUrl;
import dev.sluice.upload.s3.S3Settings;
import dev.sluice.upload.s3.SigV4;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bucket check, hand-signed, against the real S3-compatible store the tests run with. */
@QuarkusTest
class BucketProbeTests {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    BucketProbe probe;

    @Inject
    DependencyStatus dependencies;

    @Inject
    S3Settings settings;

    @Inject
    StorageConfig storage;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.s3.aws.credentials.static-provider.access-key-id")
    String accessKey;

    @ConfigProperty(name = "quarkus.s3.aws.region")
    String region;

    private HttpClient client;

    @BeforeEach
    void aClientOfItsOwn() {
        client = vertx.createHttpClient(new HttpClientOptions());
        // The bucket is created by BucketInitializer as the application starts: wait for it.
        Await.until("the test bucket exists", WAIT, () -> dependencies.up(Dependency.S3));
    }

    @AfterEach
    void closeTheClient() {
        client.closeAndAwait();
    }

    @Test
    void withStaticKeysTheProbeSignsItsOwnHeadAndTheTestBucketAnswers() {
        assertThat(probe.signsItself()).isTrue();
        probe.probe().await().atMost(WAIT);
        assertThat(dependencies.check(Dependency.S3).await().atMost(WAIT).up()).isTrue();
    }

    @Test
    void aMissingBucketFailsSayingItIsNotFound() {
        BucketHead head = head(
                settings.bucketUrl("sluice-no-such-bucket"),
                settings.signer(storage.bucket()).orElseThrow());
        assertThatThrownBy(() -> head.send().await().atMost(WAIT))
                .isInstanceOf(BucketCheckException.class)
                .hasMessage("bucket sluice-no-such-bucket not found (404)");
    }

    @Test
    void aWrongSecretFailsSayingTheCredentialsWereRefused() {
        SigV4 wrong = new SigV4(new SigV4.Credentials(accessKey, "not-the-secret", Optional.empty()), region, "s3");
        BucketHead head = head(settings.bucketUrl(storage.bucket()), wrong);
        assertThatThrownBy(() -> head.send().await().atMost(WAIT))
                .isInstanceOf(BucketCheckException.class)
                .hasMessageStartingWith("credentials refused (403) for bucket " + storage.bucket());
    }

    @Test
    void anEndpointNobodyListensOnFailsSayingWhereAndWhy() {
        int port = S3Proxy.freePort();
        BucketUrl nowhere =
                BucketUrl.of(Optional.of(URI.create("http://127.0.0.1:" + port)), region, true, storage.bucket());
        BucketHead head = head(nowhere, settings.signer(storage.bucket()).orElseThrow());
        assertThatThrownBy(() -> head.send().await().atMost(WAIT))
                .isInstanceOf(BucketCheckException.class)
                .hasMessage("cannot reach S3 at http://127.0.0.1:" + port + "/" + storage.bucket())
                .hasRootCauseInstanceOf(ConnectException.class);
    }

    @Test
    void readinessStillReportsTheBucket() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 's3-bucket' }.status", equalTo("UP"))
                .body("checks.find { it.name == 's3-bucket' }.data.bucket", equalTo(storage.bucket()))
                .body("checks.find { it.name == 's3-bucket' }.data.checkedAt", notNullValue());
    }

    private BucketHead head(BucketUrl url, SigV4 signer) {
        return new BucketHead(client, url, signer, Duration.ofSeconds(3), Clock.systemUTC());
    }
}
