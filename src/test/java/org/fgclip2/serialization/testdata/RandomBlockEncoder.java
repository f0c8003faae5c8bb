package org.fgclip2.serialization.testdata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes generic values in Avro binary by hand, splitting each array and map into blocks at random and giving
 * some blocks as a negative count followed by their size in bytes, as the specification allows and Avro's
 * default encoder never does. Which blocks is reproducible from the {@link Random}'s seed.
 */
public final class RandomBlockEncoder {

    private final Random random;

    public RandomBlockEncoder(Random random) {
        this.random = random;
    }

    public byte[] encode(Schema schema, Object value) {
        AvroBytes out = AvroBytes.body();
        write(schema, value, out);
        return out.toByteArray();
    }

    private void write(Schema schema, Object value, AvroBytes out) {
        switch (schema.getType()) {
            case RECORD -> {
                for (Field field : schema.getFields()) {
                    write(field.schema(), ((IndexedRecord) value).get(field.pos()), out);
                }
            }
            case ARRAY -> writeBlocks(new ArrayList<>((Collection<?>) value), out,
                    (item, block) -> write(schema.getElementType(), item, block));
            case MAP -> writeBlocks(new ArrayList<>(((Map<?, ?>) value).entrySet()), out, (entry, block) -> {
                Map.Entry<?, ?> keyValue = (Map.Entry<?, ?>) entry;
                block.string(keyValue.getKey().toString());
                write(schema.getValueType(), keyValue.getValue(), block);
            });
            case UNION -> {
                int branch = GenericData.get().resolveUnion(schema, value);
                out.varint(branch);
                write(schema.getTypes().get(branch), value, out);
            }
            case ENUM -> out.varint(schema.getEnumOrdinal(value.toString()));
            case FIXED -> out.raw(((GenericFixed) value).bytes());
            case STRING -> out.string(value.toString());
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.bytes(bytes);
            }
            case INT -> out.varint((Integer) value);
            case LONG -> out.varint((Long) value);
            case FLOAT -> out.float32((Float) value);
            case DOUBLE -> out.float64((Double) value);
            case BOOLEAN -> out.bool((Boolean) value);
            case NULL -> {}
        }
    }

    private void writeBlocks(List<?> items, AvroBytes out, BiConsumer<Object, AvroBytes> itemWriter) {
        int written = 0;
        while (written < items.size()) {
            int count = 1 + random.nextInt(items.size() - written);
            AvroBytes block = AvroBytes.body();
            for (Object item : items.subList(written, written + count)) {
                itemWriter.accept(item, block);
            }
            if (random.nextBoolean()) {
                out.varint(-count).varint(block.length());
            } else {
                out.varint(count);
            }
            out.raw(block.toByteArray());
            written += count;
        }
        out.varint(0);
    }
}
