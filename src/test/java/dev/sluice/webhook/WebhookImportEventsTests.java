package dev.sluice.webhook;

import static dev.sluice.support.Csv.prefix;
import static dev.sluice.support.Csv.utf8;
import static dev.sluice.support.Imports.completed;
import static dev.sluice.support.Imports.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.support.Api;
import dev.sluice.support.Csv;
import dev.sluice.support.Imports;
import dev.sluice.support.S3Files;
import dev.sluice.support.TestTokens;
import dev.sluice.support.WebhookReceiver;
import dev.sluice.support.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Imports announce themselves: started, one products.imported per batch, and how they ended. */
@QuarkusTest
class WebhookImportEventsTests extends WebhookTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    S3Files s3;

    private static List<Received> ofType(List<Received> rs, String type) {
        return rs.stream()
                .filter(r -> type.equals(new JsonPath(r.body()).getString("type")))
                .toList();
    }

    @Test
    void anImportSendsStartedOneEventPerBatchAndCompleted() {
        Webhooks.create(
                receiver.url("/imp"), "import.started", "products.imported", "import.completed", "import.failed");
        String p = prefix();
        String id = start(s3.put(utf8(Csv.products(p, 250))), null); // test batches: 100 rows
        JsonPath job = completed(id);
        assertThat(job.getLong("created")).isEqualTo(250);

        List<Received> all = receiver.await("/imp", 5, WAIT);
        Webhooks.sleep(500);
        all = receiver.on("/imp");
        assertThat(WebhookReceiver.types(all))
                .containsExactlyInAnyOrder(
                        "import.started",
                        "products.imported",
                        "products.imported",
                        "products.imported",
                        "import.completed");

        JsonPath started = new JsonPath(ofType(all, "import.started").getFirst().body());
        assertThat(started.getString("data.id")).isEqualTo(id);
        assertThat(started.getString("data.status")).isEqualTo("running");

        Set<String> created = new HashSet<>();
        for (Received r : ofType(all, "products.imported")) {
            JsonPath b = new JsonPath(r.body());
            assertThat(b.getString("data.importId")).isEqualTo(id);
            assertThat(b.getList("data.updated")).isEmpty();
            assertThat(b.getInt("data.createdCount"))
                    .isEqualTo(b.getList("data.created").size());
            created.addAll(b.getList("data.created", String.class));
        }
        assertThat(created).hasSize(250).contains(p + "-00000", p + "-00249");

        JsonPath done = new JsonPath(ofType(all, "import.completed").getFirst().body());
        assertThat(done.getString("data.id")).isEqualTo(id);
        assertThat(done.getString("data.status")).isEqualTo("completed");
        assertThat(done.getLong("data.created")).isEqualTo(250);
        assertThat(done.getLong("data.processedRows")).isEqualTo(250);

        // Re-importing with one change: one batch announces one updated SKU; unchanged batches stay silent.
        int before = receiver.on("/imp").size();
        completed(start(s3.put(utf8(Csv.products(p, 250).replace("Item 7,", "Renamed 7,"))), null));
        List<Received> again = receiver.await("/imp", before + 3, WAIT).subList(before, before + 3);
        Webhooks.sleep(500);
        List<Received> batches =
                ofType(receiver.on("/imp").subList(before, receiver.on("/imp").size()), "products.imported");
        assertThat(batches).hasSize(1);
        assertThat(new JsonPath(batches.getFirst().body()).getList("data.updated"))
                .containsExactly(p + "-00007");
        assertThat(again).isNotEmpty();
    }

    @Test
    void anUndoSendsProductsRestoredPerBatchAndImportUndoneAtTheEndButNoImportStarted() {
        String p = prefix();
        String seeded =
                completed(start(s3.put(utf8(Csv.products(p, 50))), null)).getString("id");
        // The second import updates 50 and creates 150 over two batches.
        String job = completed(start(s3.put(utf8(Csv.products(p, 200).replace("Item ", "Renamed "))), null))
                .getString("id");
        assertThat(seeded).isNotEqualTo(job);
        Webhooks.create(
                receiver.url("/undo"), "products.restored", "import.undone", "import.started", "import.completed");
        String undo = Api.as(TestTokens.editor())
                .post("/api/imports/{id}/undo", job)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        completed(undo);
        receiver.await("/undo", 3, WAIT);
        Webhooks.sleep(500);
        List<Received> all = receiver.on("/undo");
        // One products.restored per batch of the import (its batches are cut by size, so two or more), one
        // import.undone, and no import.started or import.completed: those announce imports.
        assertThat(WebhookReceiver.types(all)).containsOnly("products.restored", "import.undone");
        assertThat(ofType(all, "import.undone")).hasSize(1);
        assertThat(ofType(all, "products.restored").size()).isGreaterThanOrEqualTo(2);
        Set<String> deleted = new HashSet<>(), restored = new HashSet<>();
        for (Received r : ofType(all, "products.restored")) {
            JsonPath b = new JsonPath(r.body());
            assertThat(b.getString("data.importId")).isEqualTo(undo);
            assertThat(b.getString("data.undoOf")).isEqualTo(job);
            assertThat(b.getInt("data.deletedCount"))
                    .isEqualTo(b.getList("data.deleted").size());
            assertThat(b.getInt("data.restoredCount"))
                    .isEqualTo(b.getList("data.restored").size());
            deleted.addAll(b.getList("data.deleted", String.class));
            restored.addAll(b.getList("data.restored", String.class));
        }
        assertThat(deleted).hasSize(150).contains(p + "-00050", p + "-00199");
        assertThat(restored).hasSize(50).contains(p + "-00000", p + "-00049");
        JsonPath done = new JsonPath(ofType(all, "import.undone").getFirst().body());
        assertThat(done.getString("data.id")).isEqualTo(undo);
        assertThat(done.getString("data.kind")).isEqualTo("undo");
        assertThat(done.getString("data.undoOf")).isEqualTo(job);
        assertThat(done.getLong("data.deleted")).isEqualTo(150);
        assertThat(done.getLong("data.restored")).isEqualTo(50);
        assertThat(done.getLong("data.conflicts")).isZero();
    }

    @Test
    void anAllOrNothingImportThatFailsAnnouncesNoProducts() {
        Webhooks.create(receiver.url("/abort"), "*");
        String p = prefix();
        StringBuilder csv = new StringBuilder(Csv.products(p, 300));
        csv.append(p).append("-bad,Bad row,,-5,1,true\n");
        JsonPath job = Imports.await(start(s3.put(utf8(csv.toString())), Map.of("onError", "abort")));
        assertThat(job.getString("status")).isEqualTo("failed");
        List<Received> got = receiver.await("/abort", 2, WAIT);
        Webhooks.sleep(800);
        assertThat(WebhookReceiver.types(receiver.on("/abort")))
                .containsExactlyInAnyOrder("import.started", "import.failed");
        JsonPath failed = new JsonPath(ofType(got, "import.failed").getFirst().body());
        assertThat(failed.getString("data.error")).contains("nothing was imported");
        assertThat(failed.getLong("data.rejected")).isEqualTo(1);
    }

    @Test
    void reImportingAFileWithRepeatedSkusAnnouncesOneProductPerSkuThenNothing() {
        Webhooks.create(receiver.url("/repeat"), "products.imported", "import.completed");
        String p = prefix();
        // 250 rows, then the first 50 SKUs again in lower case with new names: a later batch than their first rows.
        StringBuilder csv = new StringBuilder(Csv.products(p, 250));
        for (int i = 0; i < 50; i++)
            csv.append(p.toLowerCase())
                    .append(String.format("-%05d", i))
                    .append(",Again ")
                    .append(i)
                    .append(",,1,1,true\n");
        String file = csv.toString();
        completed(start(s3.put(utf8(file)), null));
        receiver.await("/repeat", 4, WAIT);
        Webhooks.sleep(800);
        List<String> announced = new ArrayList<>();
        for (Received r : ofType(receiver.on("/repeat"), "products.imported")) {
            JsonPath b = new JsonPath(r.body());
            announced.addAll(b.getList("data.created", String.class));
            assertThat(b.getList("data.updated")).isEmpty();
        }
        assertThat(announced).hasSize(250).doesNotHaveDuplicates().contains(p.toLowerCase() + "-00007");

        int before = receiver.on("/repeat").size();
        JsonPath again = completed(start(s3.put(utf8(file)), null));
        assertThat(again.getLong("created") + again.getLong("updated")).isZero();
        receiver.await("/repeat", before + 1, WAIT);
        Webhooks.sleep(800);
        assertThat(WebhookReceiver.types(receiver.on("/repeat")
                        .subList(before, receiver.on("/repeat").size())))
                .containsExactly("import.completed");
    }

    @Test
    void aDryRunAnnouncesNoProducts() {
        Webhooks.create(receiver.url("/dry"), "products.imported", "import.completed");
        JsonPath job = completed(start(s3.put(utf8(Csv.products(prefix(), 150))), Map.of("mode", "dry-run")));
        assertThat(job.getLong("created")).isEqualTo(150);
        receiver.await("/dry", 1, WAIT);
        Webhooks.sleep(800);
        assertThat(WebhookReceiver.types(receiver.on("/dry"))).containsExactly("import.completed");
    }

    @Test
    void cancellingAQueuedImportAnnouncesIt() {
        Webhooks.create(receiver.url("/cancel"), "import.cancelled", "import.started");
        UUID id = UUID.randomUUID();
        // Hold the runners' claim lock so the job is still queued when the cancel arrives.
        var conn = pool.getConnection().await().indefinitely();
        try {
            conn.query("begin").execute().await().indefinitely();
            conn.preparedQuery("select pg_advisory_xact_lock($1)")
                    .execute(Tuple.of(0x51_1C_E0_02L))
                    .await()
                    .indefinitely();
            pool.preparedQuery(
                            "insert into import_jobs (id, filename, object_key, status, options) "
                                    + "values ($1, 'later.csv', 'later.csv', 'queued', '{\"mode\":\"apply\",\"onError\":\"skip\"}')")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
            Api.as(TestTokens.editor())
                    .post("/api/imports/{id}/cancel", id)
                    .then()
                    .statusCode(200);
        } finally {
            conn.query("rollback").execute().await().indefinitely();
            conn.close().await().indefinitely();
        }
        Received r = receiver.await("/cancel", 1, WAIT).getFirst();
        JsonPath b = new JsonPath(r.body());
        assertThat(b.getString("type")).isEqualTo("import.cancelled");
        assertThat(b.getString("data.id")).isEqualTo(id.toString());
        assertThat(b.getString("data.status")).isEqualTo("cancelled");
        // A second cancel changes nothing and announces nothing.
        Api.as(TestTokens.editor()).post("/api/imports/{id}/cancel", id).then().statusCode(200);
        Webhooks.sleep(800);
        assertThat(receiver.on("/cancel")).hasSize(1);
    }
}
