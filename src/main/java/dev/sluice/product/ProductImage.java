package dev.sluice.product;

import java.util.LinkedHashMap;
import java.util.Map;

/** A product's fields as history records them (the shape the import and undo statements build too). */
final class ProductImage {
    private ProductImage() {}

    static Map<String, Object> of(ProductView p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sku", p.sku());
        m.put("name", p.name());
        m.put("description", p.description());
        m.put("price", p.price());
        m.put("quantity", p.quantity());
        m.put("active", p.active());
        m.put("attributes", p.attributes());
        return m;
    }

    /** A deleted product's image: with its creation time, so an undo brings it back as it was. */
    static Map<String, Object> whole(ProductView p) {
        Map<String, Object> m = of(p);
        m.put("createdAt", p.createdAt());
        return m;
    }
}
