package dev.sluice.support;

import java.io.IOException;
import java.net.URI;

/**
 * The test Redis behind a {@link TcpProxy} that a test can cut and restore, so an outage is real for
 * the application without stopping the Redis other test runs share. Each user names its own proxy:
 * the port is kept in a JVM-wide property, since a Quarkus test profile and its test may be loaded
 * by different class loaders and share no static state.
 */
public final class RedisProxy {
    private static final URI REDIS =
            URI.create(System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379/15"));

    private RedisProxy() {}

    /** The Redis URL through the proxy called {@code name}: for a test profile's {@code quarkus.redis.hosts}. */
    public static String url(String name) {
        return "redis://127.0.0.1:" + port(name) + REDIS.getPath();
    }

    /** Starts the proxy called {@code name} on its port, in front of the test Redis. */
    public static TcpProxy start(String name) throws IOException {
        return TcpProxy.start(port(name), REDIS.getHost(), REDIS.getPort());
    }

    private static synchronized int port(String name) {
        String property = "sluice.test.redis-proxy-port." + name;
        try {
            if (System.getProperty(property) == null)
                System.setProperty(property, Integer.toString(TcpProxy.freePort()));
            return Integer.getInteger(property);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
