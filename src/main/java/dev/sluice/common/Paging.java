package dev.sluice.common;

import java.util.ArrayList;
import java.util.List;

/** A validated page request: page 0-based, size 1–200 (default 20). */
public record Paging(int page, int size) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 200;

    public static Paging of(Integer page, Integer size) {
        int p = page == null ? 0 : page, s = size == null ? DEFAULT_SIZE : size;
        List<FieldError> errors = new ArrayList<>();
        if (p < 0) errors.add(new FieldError("page", "must be greater than or equal to 0", p));
        if (s < 1 || s > MAX_SIZE) errors.add(new FieldError("size", "must be between 1 and " + MAX_SIZE, s));
        if (!errors.isEmpty()) throw ApiException.badRequest("Invalid list parameters", errors);
        return new Paging(p, s);
    }
}
