package dev.sluice.upload;

import dev.sluice.common.DependenciesConfig;
import dev.sluice.common.Dependency;
import dev.sluice.common.DependencyProbe;
import dev.sluice.common.SdkCalls;
import dev.sluice.upload.s3.BucketHead;
import dev.sluice.upload.s3.S3Settings;
import dev.sluice.upload.s3.SigV4;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The upload bucket answers a HEAD (the endpoint resolves, the credentials work, the bucket exists).
 *
 * <p>With static keys the HEAD is signed here and sent with Vert.x's client: the SDK's first request
 * loads some 1,800 classes (its pipeline, endpoint rules, signers), and readiness waited for them on
 * every start. The SDK is then loaded by the first upload or import instead. Credentials only the
 * SDK can fetch (IRSA, instance profiles) keep the SDK's {@code headBucket}, touched only then.
 */
@ApplicationScoped
public class BucketProbe implements DependencyProbe {
    private final Instance<S3AsyncClient> sdk;
    private final StorageConfig storage;
    private final DependenciesConfig dependencies;
    private final S3Settings settings;
    private final Optional<SigV4> signer;
    private final Vertx vertx;
    private HttpClient client; // created by the first check, guarded by this
    private BucketHead head;

    public BucketProbe(
            Instance<S3AsyncClient> sdk,
            StorageConfig storage,
            DependenciesConfig dependencies,
            S3Settings settings,
            Vertx vertx) {
        this.sdk = sdk;
        this.storage = storage;
        this.dependencies = dependencies;
        this.settings = settings;
        this.signer = settings.signer(storage.bucket());
        this.vertx = vertx;
    }

    @Override
    public Dependency dependency() {
        return Dependency.S3;
    }

    @Override
    public Uni<Void> probe() {
        if (signer.isEmpty()) {
            return SdkCalls.call(() -> sdk.get().headBucket(b -> b.bucket(storage.bucket())))
                    .replaceWithVoid();
        }
        return Uni.createFrom().deferred(() -> head().send());
    }

    /** Whether checks are signed here rather than by the SDK. */
    boolean signsItself() {
        return signer.isPresent();
    }

    private synchronized BucketHead head() {
        if (head == null) {
            // One connection, kept between checks (one every check-interval) so they cost no handshake, and
            // dropped by this side after 10 s idle, before stores tend to close it under a request.
            client = vertx.createHttpClient(
                    new HttpClientOptions().setMaxPoolSize(1).setKeepAliveTimeout(10));
            head = new BucketHead(
                    client,
                    settings.bucketUrl(storage.bucket()),
                    signer.orElseThrow(),
                    // A little inside the check's own timeout, so a hung store is reported with the
                    // request's message (which step timed out, and where) rather than a bare timeout.
                    requestTimeout(dependencies.checkTimeout()),
                    Clock.systemUTC());
        }
        return head;
    }

    static Duration requestTimeout(Duration checkTimeout) {
        Duration inside = checkTimeout.multipliedBy(9).dividedBy(10);
        return inside.isZero() ? checkTimeout : inside;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) client.closeAndForget();
    }
}
