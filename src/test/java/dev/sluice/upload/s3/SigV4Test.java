package dev.sluice.upload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

class SigV4Test {
    // The example keys and request of the AWS S3 documentation ("Signature Calculations for the
    // Authorization Header", example "GET Object"): the published values are asserted as they are.
    private static final SigV4 EXAMPLE = new SigV4(
            new SigV4.Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Optional.empty()),
            "us-east-1",
            "s3");
    private static final Instant MAY_24_2013 = Instant.parse("2013-05-24T00:00:00Z");

    @Test
    void signsTheGetObjectExampleOfTheAwsDocumentationToItsPublishedSignature() {
        SigV4.Signed signed = EXAMPLE.sign(
                "GET",
                "/test.txt",
                Map.of("Host", "examplebucket.s3.amazonaws.com", "Range", "bytes=0-9"),
                SigV4.EMPTY_PAYLOAD_SHA256,
                MAY_24_2013);

        assertThat(signed.canonicalRequest()).isEqualTo("""
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(signed.stringToSign()).isEqualTo("""
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972""");
        assertThat(signed.headers())
                .containsEntry(
                        "authorization",
                        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
                .containsEntry("x-amz-date", "20130524T000000Z")
                .containsEntry("x-amz-content-sha256", SigV4.EMPTY_PAYLOAD_SHA256)
                .doesNotContainKey("x-amz-security-token");
    }

    @Test
    void aSessionTokenIsSentAndSignedAsTheSdkSignsIt() {
        var credentials = new SigV4.Credentials("AKIDEXAMPLE", "secret/key+example", Optional.of("token=="));
        Instant at = Instant.parse("2026-03-01T12:34:56Z");
        SigV4.Signed ours = new SigV4(credentials, "eu-west-1", "s3")
                .sign("HEAD", "/sluice", Map.of("host", "127.0.0.1:9000"), SigV4.EMPTY_PAYLOAD_SHA256, at);

        // A second, independent implementation: the SDK's own signer, given the same request.
        var sdk = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsSessionCredentialsIdentity.create(
                                credentials.accessKeyId(), credentials.secretAccessKey(), "token=="))
                        .request(SdkHttpRequest.builder()
                                .method(SdkHttpMethod.HEAD)
                                .protocol("http")
                                .host("127.0.0.1")
                                .port(9000)
                                .encodedPath("/sluice")
                                .putHeader("x-amz-content-sha256", SigV4.EMPTY_PAYLOAD_SHA256)
                                .build())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false));

        assertThat(ours.headers()).containsEntry("x-amz-security-token", "token==");
        assertThat(ours.headers().get("authorization"))
                .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,")
                // The SDK separates the parts with ", ", the AWS examples with ",": both are accepted.
                .isEqualTo(sdk.request()
                        .firstMatchingHeader("Authorization")
                        .orElseThrow()
                        .replace(", ", ","));
    }

    @Test
    void headerValuesAreSignedTrimmedWithInnerSpacesCollapsed() {
        String spaced = EXAMPLE.sign("GET", "/", Map.of("Host", "h", "X-Note", "  a   b "), "p", MAY_24_2013)
                .canonicalRequest();
        assertThat(spaced).contains("\nx-note:a b\n");
    }

    @Test
    void pathsKeepSlashesAndUnreservedCharactersAndEncodeTheRest() {
        assertThat(SigV4.encodePath("/my-bucket.v2/a_b~c")).isEqualTo("/my-bucket.v2/a_b~c");
        assertThat(SigV4.encodePath("/a b/ü+=")).isEqualTo("/a%20b/%C3%BC%2B%3D");
    }

    @Test
    void credentialsNeverShowTheirSecretInText() {
        var credentials = new SigV4.Credentials("AKID", "the-secret", Optional.of("the-token"));
        assertThat(credentials.toString()).contains("AKID").doesNotContain("the-secret", "the-token");
    }
}
