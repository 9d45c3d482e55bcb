package dev.sluice.attribute;

import static dev.sluice.support.Api.as;

import dev.sluice.support.TestTokens;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Attribute definitions for tests: unique codes, made through the API. */
public final class Attrs {
    private Attrs() {}

    public static String code(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> def(String code, String type, Object... more) {
        Map<String, Object> m = new HashMap<>();
        m.put("code", code);
        m.put("label", code);
        m.put("type", type);
        for (int i = 0; i < more.length; i += 2) m.put((String) more[i], more[i + 1]);
        return m;
    }

    /** Creates the attribute; fails the test unless 201. */
    public static String create(String code, String type, Object... more) {
        as(TestTokens.admin())
                .body(def(code, type, more))
                .post("/api/attributes")
                .then()
                .statusCode(201);
        CREATED.add(code);
        return code;
    }

    private static final List<String> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Deletes (with their values) the attributes this helper created: other tests' exports stay as they were. */
    public static void purgeCreated() {
        for (String code : CREATED) purge(code);
        CREATED.clear();
    }

    public static String createEnum(String code, List<String> options, Object... more) {
        Object[] all = new Object[more.length + 2];
        all[0] = "options";
        all[1] = options;
        System.arraycopy(more, 0, all, 2, more.length);
        return create(code, "enum", all);
    }

    public static void purge(String code) {
        as(TestTokens.admin()).queryParam("purge", true).delete("/api/attributes/{c}", code);
    }
}
