package dev.sluice.history;

import static dev.sluice.support.Api.as;
import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.await;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.product;
import static dev.sluice.support.Imports.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.common.RetentionJobs;
import dev.sluice.support.Csv;
import dev.sluice.support.Db;
import dev.sluice.support.S3Files;
import dev.sluice.support.SseClient;
import dev.sluice.support.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What is recorded, and how it reads: a job's changes (JSON and CSV), a product's versions, and the undo's edges. */
@QuarkusTest
class HistoryTests {
    private static final String EDITOR = TestTokens.editor();

    @Inject
    S3Files s3;

    @Inject
    Pool pool;

    @Inject
    RetentionJobs retention;

    @TestHTTPResource
    URL base;

    private Map<String, Object> create(String sku, double price) {
        return as(EDITOR)
                .body(Map.of("sku", sku, "name", "Kettle", "description", "Steel", "price", price, "quantity", 3))
                .post("/api/products")
                .then()
                .statusCode(201)
                .extract()
                .as(Map.class);
    }

    @Test
    void anImportsChangesListEachCreatedAndUpdatedProductWithOnlyTheChangedFields() {
        String p = prefix();
        String id = (String) create(p + "-1", 1.0).get("id");
        String job = completed(
                        start(s3.put(utf8("sku,name,price\n" + p + "-1,Kettle,2.00\n" + p + "-2,Mug,3.00\n")), null))
                .getString("id");

        JsonPath all = as(TestTokens.viewer())
                .get("/api/imports/{id}/changes", job)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(all.getLong("totalItems")).isEqualTo(2);
        JsonPath updated = as(TestTokens.viewer())
                .get("/api/imports/{id}/changes?kind=updated", job)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(updated.getLong("totalItems")).isEqualTo(1);
        assertThat(updated.getString("items[0].productId")).isEqualTo(id);
        assertThat(updated.getString("items[0].sku")).isEqualTo(p + "-1");
        assertThat(updated.getMap("items[0].before")).containsOnlyKeys("price");
        assertThat(updated.getFloat("items[0].before.price")).isEqualTo(1.0f);
        assertThat(updated.getFloat("items[0].after.price")).isEqualTo(2.0f);
        JsonPath created = as(TestTokens.viewer())
                .get("/api/imports/{id}/changes?kind=created", job)
                .then()
                .extract()
                .jsonPath();
        assertThat(created.getString("items[0].before")).isNull();
        assertThat(created.getMap("items[0].after"))
                .containsEntry("sku", p + "-2")
                .containsEntry("name", "Mug")
                .containsKeys("description", "price", "quantity", "active", "attributes");
        // Paging, and the errors of a bad filter.
        as(TestTokens.viewer())
                .get("/api/imports/{id}/changes?size=1&page=1", job)
                .then()
                .body("items.size()", equalTo(1), "totalPages", equalTo(2));
        as(TestTokens.viewer())
                .get("/api/imports/{id}/changes?kind=renamed", job)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("kind"));
        as(TestTokens.viewer())
                .get("/api/imports/{id}/changes", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aProductAnImportCreatedShowsAsCreatedAfterTheApiRenamedAndDeletedIt() {
        String p = prefix();
        String job = completed(start(s3.put(utf8("sku,name,price\n" + p + "-1,Mug,3.00\n")), null))
                .getString("id");
        Map<String, Object> made = product(p + "-1");
        Map<String, Object> body = new HashMap<>(made);
        body.keySet().removeAll(List.of("id", "version", "createdAt", "updatedAt"));
        body.put("name", "Cup");
        body.put("price", 4.5);
        as(EDITOR).body(body).put("/api/products/{id}", made.get("id")).then().statusCode(200);
        as(EDITOR).delete("/api/products/{id}", made.get("id")).then().statusCode(204);

        JsonPath created = as(TestTokens.viewer())
                .get("/api/imports/{id}/changes", job)
                .then()
                .extract()
                .jsonPath();
        assertThat(created.getString("items[0].kind")).isEqualTo("created");
        assertThat(created.getString("items[0].after.name")).isEqualTo("Mug");
        assertThat(created.getFloat("items[0].after.price")).isEqualTo(3.0f);
        assertThat(created.getMap("items[0].after")).doesNotContainKey("createdAt");
        JsonPath h = as(TestTokens.viewer())
                .get("/api/products/{id}/history", made.get("id"))
                .then()
                .extract()
                .jsonPath();
        assertThat(h.getList("items.kind")).containsExactly("deleted", "updated", "created");
        assertThat(h.getString("items[2].changes.name.after")).isEqualTo("Mug");
        assertThat(h.getString("items[2].changes.name.before")).isNull();
    }

    @Test
    void anImportThatRacesAnotherWriterRecordsTheValuesItReallyReplaced() {
        String p = prefix();
        UUID id = UUID.fromString((String) create(p + "-1", 1.0).get("id"));
        // Another writer changes the price and holds the row while the import reaches it.
        SqlConnection other = pool.getConnection().await().indefinitely();
        Transaction tx = other.begin().await().indefinitely();
        String job;
        try {
            other.preparedQuery("update products set price = 5, version = version + 1 where id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
            job = start(s3.put(utf8("sku,price\n" + p + "-1,9.00\n")), null);
            // The import's write has taken its snapshot and waits for the row.
            dev.sluice.support.Await.until(
                    "the import waiting for the row",
                    Duration.ofSeconds(20),
                    () -> Db.scalar("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                                    + " and datname = current_database()")
                            > 0);
        } finally {
            tx.commit().await().indefinitely();
            other.close().await().indefinitely();
        }
        completed(job);
        JsonPath changes = as(TestTokens.viewer())
                .get("/api/imports/{id}/changes", job)
                .then()
                .extract()
                .jsonPath();
        assertThat(changes.getFloat("items[0].before.price"))
                .as("the price the import replaced, not the one its first snapshot saw")
                .isEqualTo(5.0f);
        assertThat(changes.getFloat("items[0].after.price")).isEqualTo(9.0f);
        as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .body("price", equalTo(9.0f), "version", equalTo(2));
    }

    @Test
    void theChangesCsvHasOneLinePerChangedFieldAndNeutralisesFormulas() {
        String p = prefix();
        create(p + "-1", 1.0);
        String job = completed(start(s3.put(utf8("sku,name,price\n" + p + "-1,=cmd(),2.50\n")), null))
                .getString("id");
        String csv = as(TestTokens.viewer())
                .accept("text/csv")
                .get("/api/imports/{id}/changes.csv", job)
                .then()
                .statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"import-changes.csv\""))
                .extract()
                .asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("productId,sku,kind,field,before,after");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).endsWith(p + "-1,updated,name,Kettle,'=cmd()");
        assertThat(lines.get(2)).endsWith(p + "-1,updated,price,1,2.5");
    }

    @Test
    void aDryRunListsWhatWouldChangeWritesNothingAndCantBeUndone() {
        String p = prefix();
        String id = (String) create(p + "-1", 1.0).get("id");
        String dry = completed(start(s3.put(utf8("sku,price\n" + p + "-1,4.00\n")), Map.of("mode", "dry-run")))
                .getString("id");
        JsonPath changes = as(TestTokens.viewer())
                .get("/api/imports/{id}/changes", dry)
                .then()
                .extract()
                .jsonPath();
        assertThat(changes.getLong("totalItems")).isEqualTo(1);
        assertThat(changes.getString("items[0].kind")).isEqualTo("updated");
        assertThat(changes.getFloat("items[0].before.price")).isEqualTo(1.0f);
        assertThat(changes.getFloat("items[0].after.price")).isEqualTo(4.0f);
        as(TestTokens.viewer())
                .get("/api/products/{id}", id)
                .then()
                .body("price", equalTo(1.0f), "version", equalTo(0));
        // The product's own history knows nothing of it.
        assertThat(as(TestTokens.viewer())
                        .get("/api/products/{id}/history", id)
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("items.source"))
                .containsExactly("api");
        as(EDITOR)
                .body(Map.of())
                .post("/api/imports/{id}/undo", dry)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("reason", equalTo("dry-run"));
    }

    @Test
    void aReImportRecordsNothingAndHasNothingToUndo() {
        String p = prefix();
        byte[] file = utf8(Csv.products(p, 30));
        completed(start(s3.put(file), null));
        String again = completed(start(s3.put(file), null)).getString("id");
        as(TestTokens.viewer()).get("/api/imports/{id}/changes", again).then().body("totalItems", equalTo(0));
        as(EDITOR)
                .post("/api/imports/{id}/undo", again)
                .then()
                .statusCode(409)
                .body("reason", equalTo("no-changes"), "title", equalTo("Can't undo this job"));
    }

    @Test
    void aProductsHistoryListsEveryVersionNewestFirstAndStillAnswersOnceItIsDeleted() {
        String p = prefix();
        Map<String, Object> made = create(p + "-1", 1.0);
        String id = (String) made.get("id");
        Map<String, Object> body = new HashMap<>(made);
        body.keySet().removeAll(List.of("id", "version", "createdAt", "updatedAt"));
        body.put("description", null);
        as(EDITOR).body(body).put("/api/products/{id}", id).then().statusCode(200);
        String job = completed(start(s3.put(utf8("sku,quantity\n" + p + "-1,9\n")), null))
                .getString("id");
        as(EDITOR).delete("/api/products/{id}", id).then().statusCode(204);

        JsonPath h = as(TestTokens.viewer())
                .get("/api/products/{id}/history", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(h.getList("items.kind")).containsExactly("deleted", "updated", "updated", "created");
        assertThat(h.getList("items.source")).containsExactly("api", "import", "api", "api");
        assertThat(h.getString("items[1].jobId")).isEqualTo(job);
        assertThat(h.getString("items[1].actor.email")).isEqualTo("tester-editor@sluice.local");
        assertThat(h.getString("items[3].actor.email")).isEqualTo("tester-editor@sluice.local");
        assertThat(h.getMap("items[1].changes")).containsOnlyKeys("quantity");
        assertThat(h.getInt("items[1].changes.quantity.before")).isEqualTo(3);
        assertThat(h.getInt("items[1].changes.quantity.after")).isEqualTo(9);
        assertThat(h.getMap("items[2].changes")).containsOnlyKeys("description");
        assertThat(h.getString("items[2].changes.description.before")).isEqualTo("Steel");
        assertThat(h.getString("items[2].changes.description.after")).isNull();
        assertThat(h.getString("items[0].changes.name.before")).isEqualTo("Kettle");
        assertThat(h.getString("items[0].at")).isNotNull();
        as(TestTokens.viewer())
                .get("/api/products/{id}/history", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void anUndoIsAuditedWhenAskedForAndSummarisedWhenItEnds() {
        String p = prefix();
        String job = completed(start(s3.put(utf8(Csv.products(p, 20))), null)).getString("id");
        JsonPath undo = UndoTests.undo(job, false);
        JsonPath asked = as(TestTokens.admin())
                .get("/api/audit?action=import.undo&entityId=" + job)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(asked.getLong("totalItems")).isEqualTo(1);
        assertThat(asked.getString("items[0].changes.undoJobId")).isEqualTo(undo.getString("id"));
        JsonPath ended = as(TestTokens.admin())
                .get("/api/audit?action=import.undone&entityId=" + undo.getString("id"))
                .then()
                .extract()
                .jsonPath();
        assertThat(ended.getLong("totalItems")).isEqualTo(1);
        assertThat(ended.getInt("items[0].changes.summary.deleted")).isEqualTo(20);
        assertThat(ended.getString("items[0].changes.summary.undoOf")).isEqualTo(job);
    }

    @Test
    void anImportWhoseHistoryRetentionPurgedCantBeUndone() throws Throwable {
        String p = prefix();
        String job = completed(start(s3.put(utf8(Csv.products(p, 20))), null)).getString("id");
        pool.preparedQuery("update import_jobs set completed_at = now() - interval '91 days' where id = $1")
                .execute(Tuple.of(UUID.fromString(job)))
                .await()
                .indefinitely();
        var run = VertxContextSupport.subscribeAndAwait(() -> retention.run("product-history", Duration.ZERO));
        assertThat(run.removed()).isGreaterThanOrEqualTo(20);
        as(TestTokens.viewer()).get("/api/imports/{id}/changes", job).then().body("totalItems", equalTo(0));
        as(EDITOR).post("/api/imports/{id}/undo", job).then().statusCode(409).body("reason", equalTo("history-purged"));
        // A recent import keeps its history.
        String recent =
                completed(start(s3.put(utf8(Csv.products(prefix(), 5))), null)).getString("id");
        VertxContextSupport.subscribeAndAwait(() -> retention.run("product-history", Duration.ZERO));
        as(TestTokens.viewer()).get("/api/imports/{id}/changes", recent).then().body("totalItems", equalTo(5));
    }

    @Test
    void anUndosProgressIsFollowedOverSseToItsEnd() throws Exception {
        String p = prefix();
        String job = completed(start(s3.put(utf8(Csv.products(p, 250))), null)).getString("id");
        String undo = as(EDITOR)
                .post("/api/imports/{id}/undo", job)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        SseClient.Result r = SseClient.read(
                base + "api/imports/" + undo + "/events",
                Map.of("Authorization", "Bearer " + TestTokens.viewer()),
                e -> "end".equals(e.name()),
                Duration.ofSeconds(60));
        SseClient.Event end = r.events().getLast();
        assertThat(end.name()).isEqualTo("end");
        JsonPath data = new JsonPath(end.data());
        assertThat(data.getString("kind")).isEqualTo("undo");
        assertThat(data.getString("status")).isEqualTo("completed");
        assertThat(data.getLong("totalRows")).isEqualTo(250);
        assertThat(data.getLong("deleted")).isEqualTo(250);
        assertThat(data.getLong("processedRows")).isEqualTo(250);
        assertThat(product(p + "-00001")).isNull();
    }

    @Test
    void aCancelledUndoKeepsTheBatchesItCommittedAndItsCountsAddUp() throws Throwable {
        String p = prefix();
        String job = completed(start(s3.put(utf8(Csv.products(p, 1000))), null)).getString("id");
        String first = (String) product(p + "-00000").get("id");
        // Hold the first product: the undo's first batch waits for it while the cancel arrives.
        SqlConnection holder = pool.getConnection().await().indefinitely();
        Transaction tx = holder.begin().await().indefinitely();
        holder.preparedQuery("select 1 from products where id = $1 for update")
                .execute(Tuple.of(UUID.fromString(first)))
                .await()
                .indefinitely();
        String undo;
        try {
            undo = as(EDITOR)
                    .post("/api/imports/{id}/undo", job)
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            dev.sluice.support.Await.value(
                    "undo running",
                    Duration.ofSeconds(20),
                    Duration.ofMillis(50),
                    () -> as(EDITOR)
                            .get("/api/imports/{id}", undo)
                            .then()
                            .extract()
                            .path("status"),
                    "running"::equals);
            as(EDITOR).post("/api/imports/{id}/cancel", undo).then().statusCode(200);
        } finally {
            tx.rollback().await().indefinitely();
            holder.close().await().indefinitely();
        }
        JsonPath ended = await(undo);
        assertThat(ended.getString("status")).isEqualTo("cancelled");
        long processed = ended.getLong("processedRows");
        assertThat(processed).isGreaterThan(0).isLessThan(1000);
        assertThat(ended.getLong("deleted") + ended.getLong("restored") + ended.getLong("conflicts"))
                .isEqualTo(processed);
        assertThat(dev.sluice.support.Imports.countWithPrefix(p)).isEqualTo(1000 - ended.getLong("deleted"));
        // The import can be undone again: that resumes the same undo from its checkpoint.
        JsonPath job0 =
                as(EDITOR).get("/api/imports/{id}", job).then().extract().jsonPath();
        assertThat(job0.getBoolean("undoable")).isTrue();
        String resumed = as(EDITOR)
                .post("/api/imports/{id}/undo", job)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertThat(resumed).isEqualTo(undo);
        JsonPath done = completed(undo);
        assertThat(done.getLong("processedRows")).isEqualTo(1000);
        assertThat(done.getLong("deleted")).isEqualTo(1000);
        assertThat(done.getLong("conflicts")).isZero();
        assertThat(dev.sluice.support.Imports.countWithPrefix(p)).isZero();
    }
}
