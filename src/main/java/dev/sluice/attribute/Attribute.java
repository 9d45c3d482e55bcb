package dev.sluice.attribute;

import dev.sluice.common.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

/** An attribute definition, as stored. */
@Entity
@Table(name = "attributes")
public class Attribute extends VersionedEntity {
    @Id
    public String code;

    @Column(nullable = false)
    public String label;

    /** {@link AttributeType#wire()}. */
    @Column(nullable = false)
    public String type;

    public boolean required;

    /** The enum's options as a JSON array. */
    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(read = "cast(options as text)", write = "cast(cast(? as text) as jsonb)")
    public String options = "[]";

    public boolean filterable;
    public boolean searchable;

    AttributeView view() {
        return new AttributeView(
                code,
                label,
                type,
                required,
                AttributeJson.readList(options),
                filterable,
                searchable,
                version == null ? 0 : version,
                createdAt,
                updatedAt);
    }
}
