package dev.sluice.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyStatus;
import dev.sluice.support.Await;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Credentials only the SDK can get (here a custom provider, as IRSA or an instance profile in
 * production): the bucket check is the SDK's headBucket, as before.
 */
@QuarkusTest
@TestProfile(BucketProbeSdkFallbackTests.SdkCredentials.class)
class BucketProbeSdkFallbackTests {

    public static class SdkCredentials implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.s3.aws.credentials.type", "custom",
                    "quarkus.s3.aws.credentials.custom-provider.name", "sluiceTestS3Credentials");
        }
    }

    /** The store's keys, handed out the way only the SDK can use them. */
    @Singleton
    @Named("sluiceTestS3Credentials")
    public static class ProvidedCredentials implements AwsCredentialsProvider {
        @Override
        public AwsCredentials resolveCredentials() {
            var config = ConfigProvider.getConfig();
            return AwsBasicCredentials.create(
                    config.getValue("quarkus.s3.aws.credentials.static-provider.access-key-id", String.class),
                    config.getValue("quarkus.s3.aws.credentials.static-provider.secret-access-key", String.class));
        }
    }

    @Inject
    BucketProbe probe;

    @Inject
    DependencyStatus dependencies;

    @Test
    void theSdkChecksTheBucketAndReadinessReportsIt() {
        assertThat(probe.signsItself()).isFalse();
        probe.probe().await().atMost(Duration.ofSeconds(10));
        Await.until("the bucket answers", Duration.ofSeconds(10), () -> dependencies.up(Dependency.S3));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 's3-bucket' }.status", equalTo("UP"));
    }
}
