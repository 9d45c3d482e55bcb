package dev.sluice.imports;

/** Why a run stopped early, other than a failure. */
public abstract sealed class RunSignal extends RuntimeException {
    RunSignal(String message) {
        super(message, null, false, false);
    }

    /** A user asked to cancel. */
    public static final class Cancelled extends RunSignal {
        public Cancelled() {
            super("cancelled");
        }
    }

    /** Another runner took the job over (this one was presumed dead): stop without touching it. */
    public static final class LeaseLost extends RunSignal {
        public LeaseLost() {
            super("lease lost");
        }
    }

    /** This instance is shutting down: hand the job back to the queue at the checkpoint. */
    public static final class Shutdown extends RunSignal {
        public Shutdown() {
            super("shutting down");
        }
    }
}
