package dev.sluice.upload.s3;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@code HEAD /{bucket}} goes, worked out the way the SDK does from the same settings: the
 * endpoint override or AWS's regional endpoint, the bucket in the path (path style) or in the host
 * name (virtual-hosted style). {@code path} is URI-encoded.
 */
public record BucketUrl(String bucket, boolean ssl, String host, int port, String path) {

    public static BucketUrl of(Optional<URI> endpointOverride, String region, boolean pathStyle, String bucket) {
        URI endpoint = endpointOverride.orElseGet(() -> URI.create("https://s3." + region + ".amazonaws.com"));
        String scheme =
                endpoint.getScheme() == null ? "https" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw new IllegalArgumentException("S3 endpoint " + endpoint + " is neither http nor https");
        if (endpoint.getHost() == null) throw new IllegalArgumentException("S3 endpoint " + endpoint + " has no host");
        boolean ssl = scheme.equals("https");
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : ssl ? 443 : 80;
        // An override may carry a path (a store behind a prefix): requests go below it.
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        if (pathStyle)
            return new BucketUrl(bucket, ssl, endpoint.getHost(), port, base + "/" + SigV4.encodePath(bucket));
        return new BucketUrl(bucket, ssl, bucket + "." + endpoint.getHost(), port, base + "/");
    }

    /** The Host header: the port only when it is not the scheme's default (as clients send it, and sign it). */
    public String hostHeader() {
        return port == (ssl ? 443 : 80) ? host : host + ":" + port;
    }

    /** For messages: "https://s3.eu-west-1.amazonaws.com/sluice", "http://127.0.0.1:9000/sluice". */
    @Override
    public String toString() {
        return (ssl ? "https" : "http") + "://" + hostHeader() + path;
    }
}
