package dev.sluice.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A creation an import recorded without its image is rebuilt from the product now and its later changes. */
class CreatedImagesTest {
    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static CreatedImages.Change change(
            long v, String kind, Map<String, Object> before, Map<String, Object> after) {
        return new CreatedImages.Change(v, kind, before, after);
    }

    @Test
    void anUnchangedProductIsItsOwnImage() {
        Map<String, Object> now = Map.of("sku", "A", "name", "Mug", "attributes", Map.of());
        assertThat(CreatedImages.at(now, List.of())).isEqualTo(now);
    }

    @Test
    void laterChangesAreTakenBackNewestFirstAttributesByKey() {
        Map<String, Object> now =
                attrs("sku", "A", "name", "Cup", "price", 4.0, "attributes", attrs("colour", "blue", "size", "L"));
        List<CreatedImages.Change> newer = List.of(
                // newest: the size was set (it had none), the price changed
                change(2, "updated", attrs("price", 3.0, "attributes", attrs("size", null)), attrs("price", 4.0)),
                // then: renamed, recoloured
                change(1, "updated", attrs("name", "Mug", "attributes", attrs("colour", "red")), attrs("name", "Cup")));
        assertThat(CreatedImages.at(now, newer))
                .isEqualTo(attrs("sku", "A", "name", "Mug", "price", 3.0, "attributes", attrs("colour", "red")));
    }

    @Test
    void aDeletedProductIsRebuiltFromItsDeletionsWholeImage() {
        Map<String, Object> deleted =
                attrs("sku", "A", "name", "Cup", "attributes", Map.of(), "createdAt", "2026-01-01");
        List<CreatedImages.Change> all = List.of(
                change(1, "deleted", deleted, null),
                change(1, "updated", attrs("name", "Mug"), attrs("name", "Cup")),
                change(0, "created", null, null));
        List<CreatedImages.Change> newer = CreatedImages.after(0, all);
        assertThat(newer).hasSize(2);
        assertThat(CreatedImages.at(null, newer)).isEqualTo(attrs("sku", "A", "name", "Mug", "attributes", Map.of()));
    }

    @Test
    void aProductDeletedAndBroughtBackIsRebuiltThroughBoth() {
        Map<String, Object> now = attrs("sku", "A", "name", "Cup", "attributes", Map.of());
        List<CreatedImages.Change> newer = List.of(
                change(2, "restored", null, attrs("sku", "A", "name", "Cup", "attributes", Map.of())),
                change(1, "deleted", attrs("sku", "A", "name", "Cup", "attributes", Map.of()), null),
                change(1, "updated", attrs("name", "Mug"), attrs("name", "Cup")));
        assertThat(CreatedImages.at(now, newer)).containsEntry("name", "Mug");
    }

    @Test
    void aDeletionAtTheCreationsOwnVersionCountsAsLater() {
        List<CreatedImages.Change> all =
                List.of(change(0, "deleted", attrs("sku", "A", "name", "Mug"), null), change(0, "created", null, null));
        assertThat(CreatedImages.after(0, all)).hasSize(1);
        assertThat(CreatedImages.at(null, CreatedImages.after(0, all))).isEqualTo(attrs("sku", "A", "name", "Mug"));
    }
}
