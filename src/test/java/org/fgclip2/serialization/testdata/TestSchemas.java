package org.fgclip2.serialization.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The test schemas under {@code src/test/resources/avro}. */
public final class TestSchemas {

    public static final Schema GREETING_V1 = load("greeting-v1.avsc");
    public static final Schema GREETING_V2 = load("greeting-v2.avsc");
    public static final Schema GREETING_V3_INCOMPATIBLE = load("greeting-v3-incompatible.avsc");

    private TestSchemas() {}

    public static Schema load(String name) {
        try (InputStream in = TestSchemas.class.getResourceAsStream("/avro/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No test schema /avro/" + name);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A version-1 greeting. */
    public static GenericRecord greetingV1(String text, int count) {
        GenericRecord record = new GenericData.Record(GREETING_V1);
        record.put("text", text);
        record.put("count", count);
        return record;
    }

    /** A version-2 greeting. */
    public static GenericRecord greetingV2(String text, int count, String language) {
        GenericRecord record = new GenericData.Record(GREETING_V2);
        record.put("text", text);
        record.put("count", count);
        record.put("language", language);
        return record;
    }
}
