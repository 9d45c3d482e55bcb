package dev.sluice.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.function.Function;

/**
 * A page of a list. {@code nextCursor} is set when more items follow; passing it back as
 * {@code after} continues from there (keyset paging: a deep page costs what the first does).
 * {@code totalEstimated} is true when {@code totalItems} is the planner's estimate rather than a count
 * (lists that cap exact counting); absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PageResponse<T>(
        List<T> items,
        int page,
        int size,
        long totalItems,
        long totalPages,
        String nextCursor,
        Boolean totalEstimated) {

    public static <T> PageResponse<T> of(List<T> items, int page, int size, long total, String nextCursor) {
        return of(items, page, size, total, nextCursor, false);
    }

    public static <T> PageResponse<T> of(
            List<T> items, int page, int size, long total, String nextCursor, boolean estimated) {
        long pages = size == 0 ? 0 : (total + size - 1) / size;
        return new PageResponse<>(items, page, size, total, pages, nextCursor, estimated ? Boolean.TRUE : null);
    }

    public <R> PageResponse<R> map(Function<T, R> f) {
        return new PageResponse<>(
                items.stream().map(f).toList(), page, size, totalItems, totalPages, nextCursor, totalEstimated);
    }
}
