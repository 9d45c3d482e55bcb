package dev.sluice.upload.s3;

import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The S3 client's settings the hand-signed bucket check needs, read from the Quarkiverse
 * properties the SDK client is configured with (application.properties, section S3), so both
 * address the same store with the same credentials.
 */
@Singleton
public class S3Settings {
    private final Optional<URI> endpointOverride;
    private final Optional<String> region;
    private final boolean pathStyle;
    private final String credentialsType;
    private final Optional<String> accessKeyId;
    private final Optional<String> secretAccessKey;
    private final Optional<String> sessionToken;

    public S3Settings(
            @ConfigProperty(name = "quarkus.s3.endpoint-override") Optional<URI> endpointOverride,
            @ConfigProperty(name = "quarkus.s3.aws.region") Optional<String> region,
            @ConfigProperty(name = "quarkus.s3.path-style-access", defaultValue = "false") boolean pathStyle,
            @ConfigProperty(name = "quarkus.s3.aws.credentials.type", defaultValue = "default") String credentialsType,
            @ConfigProperty(name = "quarkus.s3.aws.credentials.static-provider.access-key-id")
                    Optional<String> accessKeyId,
            @ConfigProperty(name = "quarkus.s3.aws.credentials.static-provider.secret-access-key")
                    Optional<String> secretAccessKey,
            @ConfigProperty(name = "quarkus.s3.aws.credentials.static-provider.session-token")
                    Optional<String> sessionToken) {
        this.endpointOverride = endpointOverride;
        this.region = region;
        this.pathStyle = pathStyle;
        this.credentialsType = credentialsType;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
    }

    /**
     * A signer for the configured static keys, or empty when only the SDK can do the check: credentials
     * it fetches itself (the default chain with IRSA or an instance profile, a profile file, a
     * process), a region it looks up, or an address only its endpoint rules get right.
     */
    public Optional<SigV4> signer(String bucket) {
        if (!credentialsType.equalsIgnoreCase("static")
                || region.isEmpty()
                || accessKeyId.isEmpty()
                || secretAccessKey.isEmpty()
                || !plainAddress(bucket)) {
            return Optional.empty();
        }
        return Optional.of(new SigV4(
                new SigV4.Credentials(accessKeyId.get(), secretAccessKey.get(), sessionToken), region.get(), "s3"));
    }

    /**
     * Whether {@link BucketUrl} addresses the bucket as the SDK would. Not for virtual-host buckets
     * with dots (over https the certificate does not match; the SDK falls back to path style), for an
     * IP endpoint without path style, or for AWS partitions other than amazonaws.com (China).
     */
    private boolean plainAddress(String bucket) {
        if (endpointOverride.isEmpty() && region.orElse("").startsWith("cn-")) return false;
        if (pathStyle) return true;
        String host = endpointOverride.map(URI::getHost).orElse("");
        boolean ipHost = host.startsWith("[") || host.matches("[0-9.]+");
        return !bucket.contains(".") && !ipHost;
    }

    /** Where the bucket check goes (needs the region: only called when {@link #signer} has one). */
    public BucketUrl bucketUrl(String bucket) {
        return BucketUrl.of(endpointOverride, region.orElseThrow(), pathStyle, bucket);
    }
}
