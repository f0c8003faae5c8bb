package org.fgclip2.serialization.testdata;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;

/**
 * Other versions of a record schema, as an older or newer writer would have them, for testing schema
 * resolution: the same full name, fields added or taken away.
 */
public final class SchemaVersions {

    private SchemaVersions() {}

    /** A newer version with one more field at {@code position}, which a reader of {@code record} skips. */
    public static Schema withField(Schema record, int position, String name, Schema type) {
        List<Field> fields = copies(record.getFields());
        fields.add(position, new Field(name, type));
        return recordLike(record, fields);
    }

    /** An older version, before the fields that have a default were added. */
    public static Schema withoutDefaultedFields(Schema record) {
        return recordLike(record, copies(record.getFields().stream().filter(field -> !field.hasDefaultValue()).toList()));
    }

    private static List<Field> copies(List<Field> fields) {
        List<Field> copies = new ArrayList<>();
        // a Field belongs to one record schema, so the new schema needs its own
        fields.forEach(field -> copies.add(new Field(field, field.schema())));
        return copies;
    }

    private static Schema recordLike(Schema record, List<Field> fields) {
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
