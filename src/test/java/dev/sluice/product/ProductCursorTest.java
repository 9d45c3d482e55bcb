package dev.sluice.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.ApiException;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Keyset cursors without Quarkus: they round-trip, and anything else is a 400 naming the parameter. */
class ProductCursorTest {
    private static final UUID ID = UUID.fromString("01a234c5-26ce-78ae-a9c5-bff3ce6d17de");

    @Test
    void aCursorRoundTripsWithItsSortValueAndId() {
        ProductSort byPrice = ProductSort.parse("-price");
        ProductCursor c = new ProductCursor(byPrice.apiValue(), "12.50", ID);
        ProductCursor back = ProductCursor.decode(c.encode(), byPrice);
        assertThat(back).isEqualTo(c);
        assertThat(back.typedValue(byPrice)).isEqualTo(new BigDecimal("12.50"));
        assertThat(c.encode()).doesNotContain("=", "+", "/");
    }

    @Test
    void aCursorOfAnotherSortIsRefusedWithTheReason() {
        String token = new ProductCursor("name", "Kettle", ID).encode();
        assertThatThrownBy(() -> ProductCursor.decode(token, ProductSort.parse("sku")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).singleElement().satisfies(f -> {
                        assertThat(f.field()).isEqualTo("after");
                        assertThat(f.message()).contains("belongs to sort 'name'");
                    });
                });
    }

    @Test
    void aTamperedOrForeignTokenIsA400NotA500() {
        ProductSort byQuantity = ProductSort.parse("quantity");
        String tampered = new ProductCursor("quantity", "many", ID).encode();
        assertThatThrownBy(() -> ProductCursor.decode(tampered, byQuantity)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ProductCursor.decode("not-a-cursor", byQuantity))
                .isInstanceOf(ApiException.class);
    }
}
