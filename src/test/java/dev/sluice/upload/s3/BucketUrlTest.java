package dev.sluice.upload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BucketUrlTest {

    @Test
    void pathStyleOnAnOverrideKeepsTheHostAndPutsTheBucketInThePath() {
        BucketUrl url = BucketUrl.of(Optional.of(URI.create("http://127.0.0.1:9000")), "us-east-1", true, "sluice");
        assertThat(url).isEqualTo(new BucketUrl("sluice", false, "127.0.0.1", 9000, "/sluice"));
        assertThat(url.hostHeader()).isEqualTo("127.0.0.1:9000");
        assertThat(url).hasToString("http://127.0.0.1:9000/sluice");
    }

    @Test
    void withoutAnOverrideItIsAwsRegionalEndpointOverTlsInTheBucketsOwnHostName() {
        BucketUrl url = BucketUrl.of(Optional.empty(), "eu-west-1", false, "sluice");
        assertThat(url).isEqualTo(new BucketUrl("sluice", true, "sluice.s3.eu-west-1.amazonaws.com", 443, "/"));
        assertThat(url.hostHeader()).as("no default port in Host").isEqualTo("sluice.s3.eu-west-1.amazonaws.com");
    }

    @Test
    void theHostHeaderNamesAPortOnlyWhenItIsNotTheSchemesDefault() {
        assertThat(BucketUrl.of(Optional.of(URI.create("http://minio")), "r", true, "b")
                        .hostHeader())
                .isEqualTo("minio");
        assertThat(BucketUrl.of(Optional.of(URI.create("https://minio:443")), "r", true, "b")
                        .hostHeader())
                .isEqualTo("minio");
        assertThat(BucketUrl.of(Optional.of(URI.create("https://minio:80")), "r", true, "b")
                        .hostHeader())
                .isEqualTo("minio:80");
    }

    @Test
    void anOverrideWithAPathKeepsItBeforeTheBucket() {
        BucketUrl url = BucketUrl.of(Optional.of(URI.create("https://store.example/s3/")), "r", true, "b");
        assertThat(url.path()).isEqualTo("/s3/b");
    }

    @Test
    void anEndpointThatIsNotHttpIsRefusedWithItsValue() {
        assertThatThrownBy(() -> BucketUrl.of(Optional.of(URI.create("ftp://store")), "r", true, "b"))
                .hasMessageContaining("ftp://store");
    }
}
