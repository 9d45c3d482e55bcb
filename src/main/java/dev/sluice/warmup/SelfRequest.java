package dev.sluice.warmup;

/** A warm-up request as bytes to send, and whether a 401 or 403 is the answer it is meant to get. */
record SelfRequest(byte[] bytes, boolean refusal) {
    static SelfRequest read(byte[] bytes) {
        return new SelfRequest(bytes, false);
    }

    static SelfRequest refused(byte[] bytes) {
        return new SelfRequest(bytes, true);
    }
}
