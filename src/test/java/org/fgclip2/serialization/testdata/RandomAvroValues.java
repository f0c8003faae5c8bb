package org.fgclip2.serialization.testdata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;

/**
 * Random generic values of a schema, reproducible from the {@link Random}'s seed: empty and long arrays and maps,
 * strings from many scripts (and emoji, and the empty string), edge-case numbers. Strings are {@link Utf8}, as
 * generic decoding returns them, so that a value compares equal to its decoded copy.
 */
public final class RandomAvroValues {

    private static final String[] STRING_PIECES = {
        "", "a", "cat", "一只猫", "狗", "🐱", "👩‍💻", "🏳️‍🌈", "naïve", "café", "ß", "Ж", "ﷺ", "𝄞", "\u0000", " ", "label-7", "日本語のテキスト",
    };
    private static final float[] SPECIAL_FLOATS = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE};
    private static final double[] SPECIAL_DOUBLES = {0d, -0d, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE};

    private RandomAvroValues() {}

    public static Object of(Schema schema, Random random) {
        return switch (schema.getType()) {
            case RECORD -> record(schema, random);
            case ARRAY -> array(schema, random);
            case MAP -> map(schema, random);
            case UNION -> of(schema.getTypes().get(random.nextInt(schema.getTypes().size())), random);
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case FIXED -> new GenericData.Fixed(schema, bytes(random, schema.getFixedSize()));
            case STRING -> new Utf8(text(random));
            case BYTES -> ByteBuffer.wrap(bytes(random, random.nextInt(12)));
            case INT -> random.nextBoolean() ? random.nextInt(200) - 100 : random.nextInt();
            case LONG -> random.nextBoolean() ? random.nextInt(200) - 100L : random.nextLong();
            case FLOAT -> random.nextInt(4) == 0 ? SPECIAL_FLOATS[random.nextInt(SPECIAL_FLOATS.length)] : random.nextFloat() * 2 - 1;
            case DOUBLE -> random.nextInt(4) == 0 ? SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)] : random.nextGaussian();
            case BOOLEAN -> random.nextBoolean();
            case NULL -> null;
        };
    }

    private static GenericData.Record record(Schema schema, Random random) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Field field : schema.getFields()) {
            record.put(field.pos(), of(field.schema(), random));
        }
        return record;
    }

    private static List<Object> array(Schema schema, Random random) {
        List<Object> items = new ArrayList<>();
        for (int i = size(random); i > 0; i--) {
            items.add(of(schema.getElementType(), random));
        }
        return items;
    }

    private static Map<Utf8, Object> map(Schema schema, Random random) {
        Map<Utf8, Object> entries = new HashMap<>();
        for (int i = size(random); i > 0; i--) {
            entries.put(new Utf8(text(random) + i), of(schema.getValueType(), random));
        }
        return entries;
    }

    /** Mostly small, sometimes none, sometimes enough for an encoder to split into several blocks. */
    private static int size(Random random) {
        int kind = random.nextInt(6);
        return kind == 0 ? 0 : kind == 1 ? 10 + random.nextInt(30) : random.nextInt(5);
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            text.append(STRING_PIECES[random.nextInt(STRING_PIECES.length)]);
        }
        if (random.nextInt(5) == 0) {
            random.ints(random.nextInt(20), 0x20, 0x7f).forEach(text::appendCodePoint);
        }
        return text.toString();
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
