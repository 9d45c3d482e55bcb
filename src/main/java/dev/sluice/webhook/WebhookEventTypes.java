package dev.sluice.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The events an endpoint can subscribe to. */
public final class WebhookEventTypes {
    public static final String PRODUCT_CREATED = "product.created";
    public static final String PRODUCT_UPDATED = "product.updated";
    public static final String PRODUCT_DELETED = "product.deleted";
    /** A deleted product brought back from its history (POST /api/products/{id}/restore): the product. */
    public static final String PRODUCT_RESTORED = "product.restored";

    public static final String PRODUCTS_DELETED_ALL = "products.deleted_all";
    public static final String PRODUCTS_IMPORTED = "products.imported";
    public static final String IMPORT_STARTED = "import.started";
    public static final String IMPORT_COMPLETED = "import.completed";
    public static final String IMPORT_FAILED = "import.failed";
    public static final String IMPORT_CANCELLED = "import.cancelled";
    /** An undo job completed: its summary, with {@code undoOf} and its counts. */
    public static final String IMPORT_UNDONE = "import.undone";
    /** One per undo batch, shaped like products.imported: the SKUs it restored and deleted. */
    public static final String PRODUCTS_RESTORED = "products.restored";

    public static final String TEST = "test";
    public static final String ALL = "*";

    public static final List<String> SUBSCRIBABLE = List.of(
            PRODUCT_CREATED,
            PRODUCT_UPDATED,
            PRODUCT_DELETED,
            PRODUCT_RESTORED,
            PRODUCTS_DELETED_ALL,
            PRODUCTS_IMPORTED,
            IMPORT_STARTED,
            IMPORT_COMPLETED,
            IMPORT_FAILED,
            IMPORT_CANCELLED,
            IMPORT_UNDONE,
            PRODUCTS_RESTORED,
            TEST);
    private static final Set<String> ACCEPTED = Set.copyOf(new ArrayList<>(SUBSCRIBABLE) {
        {
            add(ALL);
        }
    });

    private WebhookEventTypes() {}

    public static boolean accepted(String type) {
        return ACCEPTED.contains(type);
    }
}
