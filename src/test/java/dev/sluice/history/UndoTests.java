package dev.sluice.history;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.product;
import static dev.sluice.support.Imports.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.support.Db;
import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Undo against the real catalog, compared by checksums of the whole products table (every column a
 * user sees: id, SKU, fields, attributes, creation time). Test batches are 100 rows, so each import
 * here is undone over many batches, two in flight.
 */
@QuarkusTest
class UndoTests {
    private static final String EDITOR = TestTokens.editor();

    @Inject
    S3Files s3;

    @Inject
    Pool pool;

    /** 500 products that import A will update, with a finish each. */
    private String seed(String p) {
        StringBuilder csv = new StringBuilder("sku,name,description,price,quantity,active,finish\n");
        for (int i = 0; i < 500; i++)
            csv.append(p).append("-old").append(i).append(",Old ").append(i).append(",Kept,1.00,5,true,red\n");
        completed(start(s3.put(utf8(csv.toString())), Map.of("unmapped", "create")));
        return p;
    }

    /** Import A: 1,000 new products, and the 500 seeded ones with a new price, name and finish (or none). */
    private String importA(String p) {
        StringBuilder csv = new StringBuilder("sku,name,price,finish\n");
        for (int i = 0; i < 1000; i++)
            csv.append(p).append("-new").append(i).append(",New ").append(i).append(",2.50,blue\n");
        for (int i = 0; i < 500; i++)
            csv.append(p)
                    .append("-old")
                    .append(i)
                    .append(",Renamed ")
                    .append(i)
                    .append(",9.99,")
                    .append(i % 2 == 0 ? "green" : "")
                    .append('\n');
        JsonPath a = completed(start(s3.put(utf8(csv.toString())), Map.of("unmapped", "create")));
        assertThat(a.getLong("created")).isEqualTo(1000);
        assertThat(a.getLong("updated")).isEqualTo(500);
        return a.getString("id");
    }

    /** The API edits 5 products A created and 5 it updated; returns their ids. */
    private List<String> editTen(String p) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            for (String sku : List.of(p + "-new" + i, p + "-old" + i)) {
                Map<String, Object> prod = product(sku);
                Map<String, Object> body = new HashMap<>(prod);
                body.keySet().removeAll(List.of("id", "version", "createdAt", "updatedAt"));
                body.put("price", 123.45);
                as(EDITOR)
                        .body(body)
                        .put("/api/products/{id}", prod.get("id"))
                        .then()
                        .statusCode(200);
                ids.add((String) prod.get("id"));
            }
        }
        return ids;
    }

    /** Asks for the undo (202 with the undo job's Location) and waits for it to complete. */
    static JsonPath undo(String job, boolean force) {
        return undo(job, force, EDITOR);
    }

    static JsonPath undo(String job, boolean force, String token) {
        var accepted = as(token)
                .body(Map.of("force", force))
                .post("/api/imports/{id}/undo", job)
                .then()
                .statusCode(202)
                .extract();
        String id = accepted.path("id");
        assertThat(accepted.header("Location")).endsWith("/api/imports/" + id);
        assertThat((String) accepted.path("status")).isEqualTo("queued");
        return completed(id);
    }

    /** A job's errors (an undo's conflicts), first page. */
    private static JsonPath errors(JsonPath job) {
        return as(EDITOR)
                .get("/api/imports/{id}/errors", job.getString("id"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** A checksum of the products table, leaving out the products {@code except}. */
    private String table(List<String> except) {
        return pool.preparedQuery("""
                        select count(*) || ':' || coalesce(md5(string_agg(id || '|' || sku || '|' || name || '|'
                            || coalesce(description, '') || '|' || coalesce(price::text, '') || '|' || quantity || '|' || active
                            || '|' || attributes::text || '|' || created_at, ',' order by id)), '')
                        from products where not (id::text = any($1))""")
                .execute(Tuple.of(except.toArray(String[]::new)))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString(0);
    }

    private String table() {
        return table(List.of());
    }

    @Test
    void undoingAnImportRestoresTheTableAsItWasExceptTheProductsChangedSinceWhichAreConflicts() {
        String p = seed(prefix());
        List<String> updatedIds = new ArrayList<>();
        for (int i = 0; i < 5; i++)
            updatedIds.add((String) product(p + "-old" + i).get("id"));
        String before = table(updatedIds);
        String a = importA(p);
        List<String> edited = editTen(p);

        JsonPath undo = undo(a, false);
        assertThat(undo.getString("kind")).isEqualTo("undo");
        assertThat(undo.getString("undoOf")).isEqualTo(a);
        assertThat(undo.getLong("deleted")).isEqualTo(995);
        assertThat(undo.getLong("restored")).isEqualTo(495);
        assertThat(undo.getLong("conflicts")).isEqualTo(10);
        assertThat(undo.getLong("processedRows")).isEqualTo(1500);
        assertThat(undo.getLong("totalRows")).isEqualTo(1500);
        assertThat(table(edited))
                .as("the whole table but the 10 edited products")
                .isEqualTo(before);
        // The edited ones are left as the API made them.
        for (String id : edited) {
            as(EDITOR).get("/api/products/{id}", id).then().statusCode(200).body("price", equalTo(123.45f));
        }
        // Each conflict says who changed the product and when.
        JsonPath errors = as(EDITOR)
                .get("/api/imports/{id}/errors?size=50", undo.getString("id"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(errors.getLong("totalItems")).isEqualTo(10);
        assertThat(errors.getList("items.productId")).containsExactlyInAnyOrderElementsOf(edited);
        assertThat(errors.getList("items.changeSource")).containsOnly("api");
        assertThat(errors.getList("items.changedBy")).containsOnly("tester-editor@sluice.local");
        assertThat(errors.getList("items.changedAt")).doesNotContainNull();
        assertThat(errors.getString("items[0].reason")).matches("changed since \\(version \\d+, was \\d+\\)");
        // The CSV has no columns for who and when: its error says them.
        String csv = as(EDITOR)
                .accept("text/csv")
                .get("/api/imports/{id}/errors.csv", undo.getString("id"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("productId,sku,line,error");
        assertThat(csv.lines().skip(1))
                .hasSize(10)
                .allSatisfy(line -> assertThat(line)
                        .contains("sku: changed since")
                        .contains("last by tester-editor@sluice.local (api) at"));
        // The import now names its undo, and can't be undone twice.
        JsonPath job = as(EDITOR).get("/api/imports/{id}", a).then().extract().jsonPath();
        assertThat(job.getString("undoneBy")).isEqualTo(undo.getString("id"));
        assertThat(job.getBoolean("undoable")).isFalse();
        as(EDITOR)
                .body(Map.of())
                .post("/api/imports/{id}/undo", a)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("reason", equalTo("already-undone"));
    }

    @Test
    void withForceEveryProductIsRestoredEvenTheOnesChangedSince() {
        String p = seed(prefix());
        String before = table();
        String a = importA(p);
        editTen(p);
        JsonPath undo = undo(a, true);
        assertThat(undo.getLong("deleted")).isEqualTo(1000);
        assertThat(undo.getLong("restored")).isEqualTo(500);
        assertThat(undo.getLong("conflicts")).isZero();
        assertThat(undo.getBoolean("force")).isTrue();
        assertThat(table()).isEqualTo(before);
    }

    @Test
    void undoingTheUndoRedoesTheImport() {
        String p = seed(prefix());
        String a = importA(p);
        String afterA = table();
        JsonPath undo = undo(a, false);
        assertThat(table()).isNotEqualTo(afterA);
        JsonPath redo = undo(undo.getString("id"), false);
        assertThat(redo.getString("undoOf")).isEqualTo(undo.getString("id"));
        assertThat(redo.getLong("restored")).isEqualTo(1500);
        assertThat(redo.getLong("conflicts")).isZero();
        assertThat(table())
                .as("the products A created come back with their ids")
                .isEqualTo(afterA);
    }

    @Test
    void undoingADeleteAllBringsEveryProductBackWithItsIdHistoryAndAttributes() {
        String p = seed(prefix());
        Map<String, Object> one = product(p + "-old7");
        String id = (String) one.get("id");
        // A second version, by the API.
        Map<String, Object> body = new HashMap<>(one);
        body.keySet().removeAll(List.of("id", "version", "createdAt", "updatedAt"));
        body.put("name", "Edited by hand");
        as(EDITOR).body(body).put("/api/products/{id}", id).then().statusCode(200);
        String before = table();
        long count = Long.parseLong(before.substring(0, before.indexOf(':')));

        JsonPath deleted = as(TestTokens.admin())
                .delete("/api/products")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(deleted.getLong("deleted")).isEqualTo(count);
        String job = deleted.getString("jobId");
        assertThat(table()).isEqualTo("0:");
        JsonPath listed = as(EDITOR)
                .get("/api/imports/{id}", job)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(listed.getString("kind")).isEqualTo("delete-all");
        assertThat(listed.getLong("deleted")).isEqualTo(count);
        assertThat(listed.getBoolean("undoable")).isTrue();

        // Taking a delete-all back restores every product: an ADMIN's call, like the delete-all.
        as(EDITOR)
                .body(Map.of())
                .post("/api/imports/{id}/undo", job)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        JsonPath undo = undo(job, false, TestTokens.admin());
        assertThat(undo.getLong("restored")).isEqualTo(count);
        assertThat(undo.getLong("conflicts")).isZero();
        assertThat(table()).isEqualTo(before);
        as(EDITOR)
                .get("/api/products/{id}", id)
                .then()
                .statusCode(200)
                .body("name", equalTo("Edited by hand"), "attributes.finish", equalTo("red"), "version", equalTo(2));
        // Its history: created by the seed import, edited, deleted, restored; newest first.
        JsonPath history = as(EDITOR)
                .get("/api/products/{id}/history", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(history.getList("items.kind")).containsExactly("restored", "deleted", "updated", "created");
        assertThat(history.getList("items.source")).containsExactly("undo", "delete-all", "api", "import");
        // A deletion keeps the version the product had; the restored product is the one after it.
        assertThat(history.getList("items.version", Integer.class)).containsExactly(2, 1, 1, 0);
        assertThat(history.getString("items[2].changes.name.before")).isEqualTo("Old 7");
        assertThat(history.getString("items[2].changes.name.after")).isEqualTo("Edited by hand");
        assertThat(history.getString("items[1].changes['attributes.finish'].before"))
                .isEqualTo("red");
        assertThat(history.getString("items[0].jobId")).isEqualTo(undo.getString("id"));
    }

    @Test
    void undoingAnOlderImportAfterALaterOneRestoresProductByProductLeavingTheLaterOnesChanges() {
        String p = seed(prefix());
        String a = importA(p);
        // B, later, renames 100 of the products A created.
        StringBuilder b = new StringBuilder("sku,name\n");
        for (int i = 0; i < 100; i++)
            b.append(p).append("-new").append(i).append(",From B ").append(i).append('\n');
        String bJob = completed(start(s3.put(utf8(b.toString())), null)).getString("id");
        JsonPath undo = undo(a, false);
        assertThat(undo.getLong("conflicts")).isEqualTo(100);
        assertThat(undo.getLong("deleted")).isEqualTo(900);
        assertThat(undo.getLong("restored")).isEqualTo(500);
        assertThat(product(p + "-new5").get("name")).isEqualTo("From B 5");
        assertThat(product(p + "-new500")).isNull();
        assertThat(product(p + "-old5").get("name")).isEqualTo("Old 5");
        JsonPath errors = as(EDITOR)
                .get("/api/imports/{id}/errors?size=1", undo.getString("id"))
                .then()
                .extract()
                .jsonPath();
        assertThat(errors.getString("items[0].changeSource")).isEqualTo("import");
        assertThat(errors.getString("items[0].changeJob")).isEqualTo(bJob);
        assertThat(bJob).isNotNull();
    }

    @Test
    void anUndoWhoseRunnerLostItsLeaseMidWayResumesFromItsCheckpointAndCountsEachChangeOnce() {
        String p = prefix();
        String job = completed(start(s3.put(utf8(dev.sluice.support.Csv.products(p, 1000))), null))
                .getString("id");
        String held = (String) product(p + "-00550").get("id");
        var holder = pool.getConnection().await().indefinitely();
        var tx = holder.begin().await().indefinitely();
        String undo;
        try {
            // The batch holding this product waits for it: the run stalls mid-way with batches committed.
            holder.preparedQuery("select 1 from products where id = $1 for update")
                    .execute(Tuple.of(java.util.UUID.fromString(held)))
                    .await()
                    .indefinitely();
            undo = as(EDITOR)
                    .post("/api/imports/{id}/undo", job)
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            String id = undo;
            dev.sluice.support.Await.until(
                    "some batches undone",
                    java.time.Duration.ofSeconds(20),
                    () -> as(EDITOR)
                                    .get("/api/imports/{id}", id)
                                    .then()
                                    .extract()
                                    .<Integer>path("processedRows")
                            >= 300);
            // Its runner is gone (as if killed): another instance will take the job over once the lease expires.
            pool.preparedQuery(
                            "update import_jobs set lease_owner = 'dead-instance', lease_expires_at = now() - interval '1 second' where id = $1")
                    .execute(Tuple.of(java.util.UUID.fromString(undo)))
                    .await()
                    .indefinitely();
        } finally {
            tx.rollback().await().indefinitely();
            holder.close().await().indefinitely();
        }
        JsonPath ended = completed(undo);
        assertThat(ended.getLong("deleted")).isEqualTo(1000);
        assertThat(ended.getLong("processedRows")).isEqualTo(1000);
        assertThat(ended.getLong("conflicts")).isZero();
        assertThat(dev.sluice.support.Imports.countWithPrefix(p)).isZero();
        long recorded =
                Db.scalar("select count(*) from product_history where job_id = $1", java.util.UUID.fromString(undo));
        assertThat(recorded).as("each product's deletion recorded once").isEqualTo(1000);
    }

    @Test
    void aValuePurgedWithItsAttributeSinceTheImportMakesAConflictThatNamesTheAdminWhoPurgedIt() {
        String p = prefix();
        String code = dev.sluice.attribute.Attrs.create(dev.sluice.attribute.Attrs.code("maker"), "text");
        String a = completed(
                        start(s3.put(utf8("sku,name," + code + "\n" + p + "-1,One,Acme\n" + p + "-2,Two,\n")), null))
                .getString("id");
        as(TestTokens.admin())
                .queryParam("purge", true)
                .delete("/api/attributes/{c}", code)
                .then()
                .statusCode(204);
        JsonPath undo = undo(a, false);
        assertThat(undo.getLong("deleted"))
                .as("the product without a value is untouched since")
                .isEqualTo(1);
        assertThat(undo.getLong("conflicts")).isEqualTo(1);
        JsonPath errors = errors(undo);
        assertThat(errors.getString("items[0].productId"))
                .isEqualTo(product(p + "-1").get("id"));
        assertThat(errors.getString("items[0].changeSource")).isEqualTo("api");
        assertThat(errors.getString("items[0].changedBy")).isEqualTo("tester-admin@sluice.local");
    }

    @Test
    void aProductDeletedSinceOrWhoseSkuWasTakenIsAConflictEvenWithForce() {
        String p = prefix();
        String a = completed(start(
                        s3.put(utf8("sku,name\n" + p + "-gone,Gone\n" + p + "-taken,Taken\n" + p + "-ok,Ok\n")), null))
                .getString("id");
        String gone = (String) product(p + "-gone").get("id");
        as(EDITOR).delete("/api/products/{id}", gone).then().statusCode(204);
        JsonPath undo = undo(a, true);
        assertThat(undo.getLong("deleted")).isEqualTo(2);
        assertThat(undo.getLong("conflicts")).isEqualTo(1);
        JsonPath errors = errors(undo);
        assertThat(errors.getString("items[0].productId")).isEqualTo(gone);
        assertThat(errors.getString("items[0].reason")).isEqualTo("deleted since");
        assertThat(errors.getString("items[0].changeSource")).isEqualTo("api");

        // Redo, after someone made a new product with one of the SKUs: that one can't come back.
        as(EDITOR)
                .body(Map.of("sku", p + "-TAKEN", "name", "Newcomer"))
                .post("/api/products")
                .then()
                .statusCode(201);
        JsonPath redo = undo(undo.getString("id"), true);
        assertThat(redo.getLong("restored")).isEqualTo(1);
        assertThat(redo.getLong("conflicts")).isEqualTo(1);
        JsonPath taken = errors(redo);
        assertThat(taken.getString("items[0].reason")).startsWith("its SKU is now used by another product");
        assertThat(product(p + "-taken").get("name")).isEqualTo("Newcomer");
        assertThat(product(p + "-ok").get("name")).isEqualTo("Ok");
    }
}
