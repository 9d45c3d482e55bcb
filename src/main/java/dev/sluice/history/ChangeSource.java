package dev.sluice.history;

import java.util.Locale;

/**
 * What made a change; stored in {@code product_history.source} in its wire form. A dry run's rows
 * describe what its import would change: they belong to the job's changes, never to a product's
 * history.
 */
public enum ChangeSource {
    API,
    IMPORT,
    UNDO,
    DELETE_ALL,
    DRY_RUN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
