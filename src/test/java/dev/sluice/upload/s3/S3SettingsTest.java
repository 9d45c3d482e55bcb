package dev.sluice.upload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    private static S3Settings settings(String endpoint, String region, boolean pathStyle, String credentialsType) {
        return new S3Settings(
                Optional.ofNullable(endpoint).map(URI::create),
                Optional.of(region),
                pathStyle,
                credentialsType,
                Optional.of("AKIDEXAMPLE"),
                Optional.of("secret"),
                Optional.empty());
    }

    @Test
    void static_keys_on_a_plain_address_are_signed_by_hand() {
        assertThat(settings(null, "eu-west-1", false, "static").signer("uploads"))
                .isPresent();
        assertThat(settings("http://127.0.0.1:9000", "us-east-1", true, "static")
                        .signer("uploads"))
                .isPresent();
        assertThat(settings(null, "eu-west-1", true, "static").signer("my.dotted.bucket"))
                .isPresent();
    }

    @Test
    void credentials_only_the_sdk_can_fetch_leave_the_check_to_the_sdk() {
        assertThat(settings(null, "eu-west-1", false, "default").signer("uploads"))
                .isEmpty();
    }

    @Test
    void addresses_only_the_sdks_endpoint_rules_get_right_leave_the_check_to_the_sdk() {
        // A dotted bucket as a host name fails the certificate check over https: the SDK uses path style.
        assertThat(settings(null, "eu-west-1", false, "static").signer("my.dotted.bucket"))
                .isEmpty();
        // An IP endpoint cannot carry the bucket in its host name.
        assertThat(settings("http://10.0.0.5:9000", "us-east-1", false, "static")
                        .signer("uploads"))
                .isEmpty();
        // China's partition is not amazonaws.com.
        assertThat(settings(null, "cn-north-1", false, "static").signer("uploads"))
                .isEmpty();
    }
}
