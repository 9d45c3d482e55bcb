package dev.sluice.upload.s3;

/** Why the bucket check failed, in words an operator can act on ("bucket sluice not found (404)"). */
public class BucketCheckException extends RuntimeException {
    public BucketCheckException(String message) {
        super(message);
    }

    public BucketCheckException(String message, Throwable cause) {
        super(message, cause);
    }
}
