package dev.sluice.upload.s3;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code HEAD /{bucket}}, signed by hand and sent with Vert.x's HTTP client: succeeds only when the
 * endpoint answers, accepts the credentials and has the bucket. Never blocks; the caller's client
 * keeps the connection between checks.
 */
public final class BucketHead {
    private final HttpClient client;
    private final BucketUrl url;
    private final SigV4 signer;
    private final Duration timeout;
    private final Clock clock;

    public BucketHead(HttpClient client, BucketUrl url, SigV4 signer, Duration timeout, Clock clock) {
        this.client = client;
        this.url = url;
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Completes when the bucket answered 200; fails with a {@link BucketCheckException} saying why not. */
    public Uni<Void> send() {
        return Uni.createFrom()
                .deferred(this::once)
                // A kept-alive connection the store closed as this request went out: one fresh attempt,
                // as the SDK would retry, rather than a bucket reported down for one interval.
                .onFailure(HttpClosedException.class)
                .retry()
                .atMost(1)
                .onFailure(e -> !(e instanceof BucketCheckException))
                .transform(e -> new BucketCheckException("cannot reach S3 at " + url, e));
    }

    private Uni<Void> once() {
        // Signed at send time: S3 refuses a signature more than 15 minutes off its clock.
        SigV4.Signed signed = signer.sign(
                "HEAD", url.path(), Map.of("host", url.hostHeader()), SigV4.EMPTY_PAYLOAD_SHA256, clock.instant());
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.HEAD)
                .setHost(url.host())
                .setPort(url.port())
                .setSsl(url.ssl())
                .setURI(url.path())
                .setConnectTimeout(timeout.toMillis())
                .setIdleTimeout(timeout.toMillis());
        // Host among them: Vert.x keeps a Host header it is given, so the one sent is the one signed.
        signed.headers().forEach(request::putHeader);
        return client.request(request).flatMap(r -> r.send()).flatMap(this::verdict);
    }

    private Uni<Void> verdict(HttpClientResponse response) {
        int status = response.statusCode();
        // A HEAD answer has no body; ending it hands the connection back to the pool.
        Uni<Void> ended = response.end();
        if (status == 200) return ended;
        return ended.onItem().failWith(() -> new BucketCheckException(why(status, response)));
    }

    private String why(int status, HttpClientResponse response) {
        String bucket = url.bucket();
        // S3 names the bucket's region on redirects and on 400/403 answers to a request signed for another.
        String region = response.getHeader("x-amz-bucket-region");
        if (region != null && !region.equals(signer.region()) && (status == 301 || status == 400 || status == 403))
            return "bucket " + bucket + " is in region " + region + ", not " + signer.region() + " (" + status + ")";
        return switch (status) {
            case 404 -> "bucket " + bucket + " not found (404)";
            case 403 ->
                "credentials refused (403) for bucket " + bucket
                        + ": wrong access key or secret, no permission on the bucket, or a clock more than 15 minutes off";
            case 301, 307 -> "bucket " + bucket + " is not at " + url + " (" + status + ")";
            default ->
                status >= 500
                        ? "S3 failed to answer for bucket " + bucket + " (" + status + ")"
                        : "unexpected answer " + status + " to HEAD " + url;
        };
    }
}
