package dev.sluice.imports;

/**
 * When a job can be undone. One undo per job, ever: a second would find every product "changed
 * since" by the first. To go back after an undo, undo the undo.
 */
final class UndoRules {
    private UndoRules() {}

    /** Why a job can't be undone ({@code reason} a code for clients, {@code detail} for people). */
    record Refusal(String reason, String detail) {}

    /** Null when the job can be undone now. */
    static Refusal refusal(ImportJob j, ImportOptions options) {
        JobKind kind = JobKind.of(j.kind);
        if (!j.terminal()) {
            return new Refusal("not-ended", "The job is still " + j.status + "; undo it once it has ended");
        }
        if (j.undoneBy != null) {
            return new Refusal(
                    "already-undone",
                    "The job was undone already, by job " + j.undoneBy
                            + " (or that undo is under way); undo that job to go back");
        }
        if (kind == JobKind.IMPORT && options != null && options.dryRun()) {
            return new Refusal("dry-run", "A dry run changed nothing, so there is nothing to undo");
        }
        if (!j.recordsHistory) {
            return new Refusal(
                    "not-recorded",
                    "The job ran while history was off (APP_HISTORY_ENABLED), so its " + "changes were not recorded");
        }
        if (j.historyPurgedAt != null) {
            return new Refusal(
                    "history-purged",
                    "The job's recorded changes were removed by retention "
                            + "(APP_RETENTION_PRODUCT_HISTORY), so it can't be undone any more");
        }
        long changed = switch (kind) {
            case IMPORT -> j.created + j.updated;
            case UNDO -> j.deleted + j.restored;
            case DELETE_ALL -> j.deleted;
        };
        if (changed == 0) return new Refusal("no-changes", "The job changed no product, so there is nothing to undo");
        return null;
    }
}
