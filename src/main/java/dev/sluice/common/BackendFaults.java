package dev.sluice.common;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

/**
 * Tells a backing service that could not be reached (PostgreSQL, Redis, S3) from a failure of the
 * work itself. Both the HTTP layer (a 503 with Retry-After) and the import runner (hand the job
 * back to resume later) ask, so it lives apart from either.
 */
public final class BackendFaults {
    private BackendFaults() {}

    /** Connection-level failures: refused, timed out, or closed under us. */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof ClosedChannelException
                    || t instanceof ClosedConnectionException
                    || t instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
