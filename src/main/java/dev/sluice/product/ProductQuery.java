package dev.sluice.product;

import dev.sluice.attribute.AttributeView;
import dev.sluice.attribute.Attributes;
import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated product list request: filters (attribute ones included), sort, and either a page
 * number or a cursor. {@code searchable}: the attributes q also matches.
 */
public record ProductQuery(
        String q,
        String sku,
        Boolean active,
        int page,
        int size,
        ProductSort sort,
        ProductCursor after,
        List<AttributeFilter> attributes,
        List<AttributeView> searchable) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 200;

    public ProductQuery(
            String q, String sku, Boolean active, int page, int size, ProductSort sort, ProductCursor after) {
        this(q, sku, active, page, size, sort, after, List.of(), List.of());
    }

    public static ProductQuery of(
            String q, String sku, Boolean active, Integer page, Integer size, String sort, String after) {
        return of(q, sku, active, page, size, sort, after, Map.of(), Attributes.NONE);
    }

    public static ProductQuery of(
            String q,
            String sku,
            Boolean active,
            Integer page,
            Integer size,
            String sort,
            String after,
            Map<String, List<String>> params,
            Attributes attributes) {
        List<FieldError> errors = new ArrayList<>();
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0) errors.add(new FieldError("page", "must be greater than or equal to 0", p));
        if (s < 1 || s > MAX_SIZE) errors.add(new FieldError("size", "must be between 1 and " + MAX_SIZE, s));
        if (after != null && !after.isBlank() && page != null && page > 0) {
            errors.add(new FieldError("after", "cannot be combined with page; use one or the other", after));
        }
        if (!errors.isEmpty()) throw ApiException.badRequest("Invalid list parameters", errors);
        ProductSort order = ProductSort.parse(sort, attributes);
        ProductCursor cursor = after == null || after.isBlank() ? null : ProductCursor.decode(after.strip(), order);
        return new ProductQuery(
                blankToNull(q),
                blankToNull(sku),
                active,
                p,
                s,
                order,
                cursor,
                AttributeFilter.parse(params, attributes),
                attributes.searchable());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
