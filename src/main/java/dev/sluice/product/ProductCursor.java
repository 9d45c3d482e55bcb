package dev.sluice.product;

import dev.sluice.common.ApiException;
import dev.sluice.common.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * An opaque keyset cursor: the sort it belongs to, the last row's sort value and id.
 * Clients pass {@code nextCursor} back as {@code after}; they never need to read it.
 */
public record ProductCursor(String sort, String value, UUID id) {
    private static final char SEP = '\u001F';

    static ProductCursor after(ProductReads.Listed last, ProductSort sort) {
        String value = sort.attribute() == null ? sort.field().cursorValue.apply(last.view()) : last.sortKey();
        return new ProductCursor(sort.apiValue(), value, last.view().id());
    }

    public String encode() {
        String raw = sort + SEP + id + SEP + value;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static ProductCursor decode(String token, ProductSort expected) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int a = raw.indexOf(SEP);
            int b = raw.indexOf(SEP, a + 1);
            ProductCursor c = new ProductCursor(
                    raw.substring(0, a), raw.substring(b + 1), UUID.fromString(raw.substring(a + 1, b)));
            if (!c.sort.equals(expected.apiValue())) {
                throw invalid(
                        token, "belongs to sort '" + c.sort + "'; pass the same sort as the request that returned it");
            }
            expected.parseValue(c.value); // reject a tampered value here, not in SQL
            return c;
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid(token, "is not a cursor this API returned");
        }
    }

    Object typedValue(ProductSort sort) {
        return sort.parseValue(value);
    }

    private static ApiException invalid(String token, String why) {
        return ApiException.badRequest("Invalid cursor", List.of(new FieldError("after", why, token)));
    }
}
