package dev.sluice.imports;

/** Flags a running import checks between batches; set by the lease timer, a cancel, or shutdown. */
public final class RunControl {
    volatile boolean cancelRequested;
    volatile boolean leaseLost;
    volatile boolean shuttingDown;

    public void requestCancel() {
        cancelRequested = true;
    }

    void check() {
        if (leaseLost) throw new RunSignal.LeaseLost();
        if (cancelRequested) throw new RunSignal.Cancelled();
        if (shuttingDown) throw new RunSignal.Shutdown();
    }
}
