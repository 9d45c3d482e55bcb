package dev.sluice.attribute;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The expression index a {@code filterable} attribute gets, on exactly the expression the list
 * filters compare ({@link AttributeView#filterExpression()}): {@code lower(attributes->>'code')}
 * for text, enum, url and boolean, {@code ((attributes->>'code')::numeric)} for numbers, the ISO
 * text for dates (which sorts like the dates). Built CONCURRENTLY after the schema change commits,
 * so neither the request nor the catalog's writers wait for a build over every product.
 */
@ApplicationScoped
public class AttributeIndexSql {
    private static final Logger LOG = Logger.getLogger(AttributeIndexSql.class);
    private final Pool pool;

    public AttributeIndexSql(Pool pool) {
        this.pool = pool;
    }

    /** "attr_code", or a shortened code with a hash when it would pass PostgreSQL's 63 characters. */
    static String indexName(String code) {
        String name = "attr_" + code;
        if (name.length() <= 63) return name;
        byte[] hash;
        try {
            hash = java.security.MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "attr_" + code.substring(0, 49) + "_" + HexFormat.of().formatHex(hash, 0, 4);
    }

    /** Builds one at a time on this instance: two concurrent builds on one table deadlock each other. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** Creates the index when the attribute is filterable; completes when the build has ended. */
    public synchronized Uni<Void> ensure(AttributeView a) {
        if (!a.filterable()) return Uni.createFrom().voidItem();
        CompletableFuture<Void> next =
                tail.handle((x, e) -> (Void) null).thenCompose(x -> build(a).subscribeAsCompletionStage());
        tail = next;
        return Uni.createFrom().completionStage(next);
    }

    private Uni<Void> build(AttributeView a) {
        String name = indexName(a.code());
        // A build that failed (or was interrupted) leaves an invalid index that "if not exists" would keep.
        return pool.preparedQuery("""
                        select exists (select 1 from pg_class c join pg_index i on i.indexrelid = c.oid
                                       where c.relname = $1 and not i.indisvalid)""")
                .execute(Tuple.of(name))
                .flatMap(rs -> rs.iterator().next().getBoolean(0)
                        ? pool.query("drop index concurrently if exists " + name)
                                .execute()
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .chain(() -> pool.query("create index concurrently if not exists " + name + " on products (("
                                + a.filterExpression() + "))")
                        .execute())
                // Another replica's build on the same table can still deadlock with this one: try again.
                .onFailure()
                .retry()
                .withBackOff(Duration.ofSeconds(1))
                .atMost(3)
                .onFailure()
                .invoke(e -> LOG.warnf("Index for attribute %s not built: %s", a.code(), e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Whether the attribute's index exists and is valid (for tests and the docs' EXPLAIN). */
    public Uni<Boolean> ready(String code) {
        return pool.preparedQuery("""
                        select exists (select 1 from pg_class c join pg_index i on i.indexrelid = c.oid
                                       where c.relname = $1 and i.indisvalid)""")
                .execute(Tuple.of(indexName(code)))
                .map(rs -> rs.iterator().next().getBoolean(0));
    }
}
