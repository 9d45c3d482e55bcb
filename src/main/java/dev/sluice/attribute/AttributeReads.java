package dev.sluice.attribute;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Every definition, in code order, on the reactive client: what {@link AttributeCatalog} caches. */
@ApplicationScoped
public class AttributeReads {
    private final Pool pool;

    public AttributeReads(Pool pool) {
        this.pool = pool;
    }

    public Uni<Attributes> all() {
        return pool.query("""
                        select code, label, type, required, options::text, filterable, searchable, version,
                               created_at, updated_at
                        from attributes order by code""").execute().map(rs -> {
            List<AttributeView> out = new ArrayList<>(rs.size());
            for (Row r : rs) {
                out.add(new AttributeView(
                        r.getString(0),
                        r.getString(1),
                        r.getString(2),
                        r.getBoolean(3),
                        AttributeJson.readList(r.getString(4)),
                        r.getBoolean(5),
                        r.getBoolean(6),
                        r.getLong(7),
                        r.getOffsetDateTime(8).toInstant(),
                        r.getOffsetDateTime(9).toInstant()));
            }
            return new Attributes(out);
        });
    }
}
