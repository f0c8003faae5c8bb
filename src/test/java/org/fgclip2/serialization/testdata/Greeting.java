package org.fgclip2.serialization.testdata;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A specific record for {@code greeting-v2.avsc}, written the way avro-maven-plugin generates one (a
 * {@code SCHEMA$} field, positional get/put), so the specific serdes are tested without a code generator.
 */
public final class Greeting extends SpecificRecordBase {

    public static final Schema SCHEMA$ = TestSchemas.GREETING_V2;

    private CharSequence text;
    private int count;
    private CharSequence language;

    public Greeting() {}

    public Greeting(CharSequence text, int count, CharSequence language) {
        this.text = text;
        this.count = count;
        this.language = language;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return switch (field) {
            case 0 -> text;
            case 1 -> count;
            case 2 -> language;
            default -> throw new IndexOutOfBoundsException("Invalid field index " + field);
        };
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0 -> text = (CharSequence) value;
            case 1 -> count = (Integer) value;
            case 2 -> language = (CharSequence) value;
            default -> throw new IndexOutOfBoundsException("Invalid field index " + field);
        }
    }

    public String text() {
        return text.toString();
    }

    public int count() {
        return count;
    }

    public String language() {
        return language.toString();
    }
}
