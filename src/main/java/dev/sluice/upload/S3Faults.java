package dev.sluice.upload;

import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Tells S3 failures that are worth retrying from those that are final. */
public final class S3Faults {
    private S3Faults() {}

    /** The object is gone: retrying won't bring it back. */
    public static boolean missing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoSuchKeyException) return true;
            if (t instanceof S3Exception s3 && s3.statusCode() == 404) return true;
        }
        return false;
    }

    /** The failure came from the S3 client (rather than from the database). */
    public static boolean fromS3(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof software.amazon.awssdk.core.exception.SdkException) return true;
        }
        return false;
    }

    /** A reset, a timeout, a 5xx or a throttle: the read can resume from the checkpoint. */
    public static boolean transientRead(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof S3Exception s3) return s3.statusCode() >= 500 || s3.statusCode() == 429;
            if (t instanceof SdkClientException || t instanceof IOException) return true;
        }
        return false;
    }
}
