package dev.sluice.attribute;

import dev.sluice.audit.Actor;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Attribute definitions (Panache) and the statements a schema change runs on the products' values,
 * in the caller's transaction. The code is spliced only where it must be (an index name), and it
 * matches {@code [a-z][a-z0-9_]*} there.
 */
@ApplicationScoped
public class AttributeRepository implements PanacheRepositoryBase<Attribute, String> {
    static final String CHANNEL = "sluice_attributes";

    /** How many products have a value for the attribute. */
    public Uni<Long> productsUsing(String code) {
        return getSession()
                .chain(s -> s.createNativeQuery(
                                "select count(*) from products where jsonb_exists(attributes, cast(:code as text))",
                                Long.class)
                        .setParameter("code", code)
                        .getSingleResult());
    }

    /** How many stored values the attribute, as {@code type} with {@code options}, could not take. */
    public Uni<Long> incompatible(String code, AttributeType type, List<String> options) {
        return getSession()
                .chain(s -> s.createNativeQuery(
                                "select count(*) from products where jsonb_exists(attributes, cast(:code as text))"
                                        + " and not (" + valid(type)
                                        + ") and cast(cast(:options as text) as jsonb) is not null",
                                Long.class)
                        .setParameter("code", code)
                        .setParameter(
                                "options", AttributeJson.writeList(type == AttributeType.ENUM ? options : List.of()))
                        .getSingleResult());
    }

    /**
     * Rewrites the stored values in the new type's form (all of them can take it: see {@link #incompatible}).
     * Each product rewritten gets a new version and, with {@code record}, a history entry with the
     * value's before and after: an undo then sees who changed it, and a product's history shows why.
     */
    public Uni<Integer> convert(String code, AttributeType type, List<String> options, Actor actor, boolean record) {
        String converted = converted(type);
        return changeValues(
                        code,
                        "jsonb_exists(attributes, cast(:code as text)) and attributes -> cast(:code as text) is distinct from "
                                + converted + " and cast(cast(:options as text) as jsonb) is not null",
                        "jsonb_set(attributes, array[cast(:code as text)], " + converted + ")",
                        actor,
                        record)
                .map(q -> q.setParameter(
                        "options", AttributeJson.writeList(type == AttributeType.ENUM ? options : List.of())))
                .chain(q -> q.getSingleResult())
                .map(Long::intValue);
    }

    /** Removes the attribute's values from every product, recorded as {@link #convert} records; returns how many had one. */
    public Uni<Integer> purge(String code, Actor actor, boolean record) {
        return changeValues(
                        code,
                        "jsonb_exists(attributes, cast(:code as text))",
                        "attributes - cast(:code as text)",
                        actor,
                        record)
                .chain(q -> q.getSingleResult())
                .map(Long::intValue);
    }

    /**
     * One statement: lock the products {@code where} picks and read their value, set {@code attributes}
     * to {@code value}, and record each change as the API's product writes are recorded (an attribute
     * without a value is null in before/after). Locking first means the value recorded as "before" is
     * the one the update replaced, even when another write committed after the statement began.
     */
    private Uni<Mutiny.SelectionQuery<Long>> changeValues(
            String code, String where, String value, Actor actor, boolean record) {
        String sql = """
                with old as (
                    select id, attributes -> cast(:code as text) as v from products where %s for update
                ),
                up as (
                    update products p set attributes = %s, version = p.version + 1, updated_at = now()
                    from old where p.id = old.id
                    returning p.id, p.version, p.sku, old.v, p.attributes -> cast(:code as text) as nv
                ),
                recorded as (
                    insert into product_history (product_id, version, kind, source, sku, actor_id, actor_email, before, after)
                    select id, version, 'updated', 'api', sku, cast(nullif(:actorId, '') as uuid), nullif(:actorEmail, ''),
                           jsonb_build_object('attributes', jsonb_build_object(cast(:code as text), v)),
                           jsonb_build_object('attributes', jsonb_build_object(cast(:code as text), nv))
                    from up where cast(:record as boolean)
                )
                select count(*) from up""".formatted(where, value);
        return getSession()
                .map(s -> s.createNativeQuery(sql, Long.class)
                        .setParameter("code", code)
                        .setParameter(
                                "actorId", actor.id() == null ? "" : actor.id().toString())
                        .setParameter("actorEmail", actor.email() == null ? "" : actor.email())
                        .setParameter("record", record));
    }

    /** Tells every instance (at commit) that the definitions changed. */
    public Uni<Void> announce(String code) {
        return getSession()
                .chain(s -> s.createNativeQuery(
                                "select count(*) from (select pg_notify(:channel, :code)) n", Long.class)
                        .setParameter("channel", CHANNEL)
                        .setParameter("code", code)
                        .getSingleResult())
                .replaceWithVoid();
    }

    /**
     * Drops the attribute's filter index inside the schema change: an index on a cast to numeric
     * must be gone before values of another type are written.
     */
    public Uni<Void> dropIndex(String code) {
        return getSession()
                .chain(s -> s.createNativeQuery("drop index if exists " + AttributeIndexSql.indexName(code))
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** SQL true when the stored value ({@code t}, its text) can take the type. */
    private static String valid(AttributeType type) {
        String t = "(attributes ->> cast(:code as text))";
        return switch (type) {
            case TEXT -> "true";
            case URL -> t + " ~* '^https?://[^\\s/]+'";
            case INTEGER -> "trim(" + t + ") ~ '^-?[0-9]{1,18}(\\.0*)?$'";
            case NUMBER -> "trim(" + t + ") ~ '^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?$'";
            case BOOLEAN -> "lower(trim(" + t + ")) in ('true', 'false', '1', '0', 'yes', 'no', 'y', 'n', 't', 'f')";
            case DATE -> t + " ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'";
            case ENUM ->
                "exists (select 1 from jsonb_array_elements_text(cast(cast(:options as text) as jsonb)) o"
                        + " where lower(o) = lower(trim(" + t + ")))";
        };
    }

    private static String converted(AttributeType type) {
        String t = "(attributes ->> cast(:code as text))";
        return switch (type) {
            case TEXT, URL, DATE -> "to_jsonb(" + t + ")";
            case INTEGER -> "to_jsonb(cast(cast(trim(" + t + ") as numeric) as bigint))";
            case NUMBER -> "to_jsonb(cast(trim(" + t + ") as numeric))";
            case BOOLEAN -> "to_jsonb(lower(trim(" + t + ")) in ('true', '1', 'yes', 'y', 't'))";
            case ENUM ->
                "to_jsonb((select o from jsonb_array_elements_text(cast(cast(:options as text) as jsonb)) o"
                        + " where lower(o) = lower(trim(" + t + ")) limit 1))";
        };
    }
}
