package org.fgclip2.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.testdata.AvroBytes;

/**
 * Records a hostile producer writes, in the Confluent wire format with the schema ids the registry gave our own
 * schemas: lengths that lie, invalid UTF-8, values too large to copy, definitions too large to embed.
 */
public final class HostileRecords {

    /** 2^31 − 9: the largest array Java allows, which Avro's own decoder would allocate up front. */
    public static final long HUGE_COUNT = Integer.MAX_VALUE - 8;

    private final int imageEventSchemaId;
    private final int labelDefinitionSchemaId;

    public HostileRecords(ConfluentAvroSerdes avro) {
        this.imageEventSchemaId = schemaId(avro, ImageEvent.class, PipelineFixture.event("x", "file:///x.png"));
        this.labelDefinitionSchemaId = schemaId(avro, LabelDefinition.class, LabelDefinition.newBuilder()
                .setLabelId("x").setPrompts(List.of("x")).build());
    }

    private static <T extends SpecificRecord> int schemaId(ConfluentAvroSerdes avro, Class<T> type, T sample) {
        byte[] bytes = avro.specific(type, false).serializer().serialize(topicOf(type), sample);
        return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
    }

    private static String topicOf(Class<?> type) {
        return type == ImageEvent.class ? "fgclip2.images" : "fgclip2.label-definitions";
    }

    /** An image event whose id is the given bytes, valid UTF-8 or not. */
    public byte[] imageEventWithId(byte[] id, String uri) {
        return AvroBytes.confluent(imageEventSchemaId).bytes(id).string(uri).string("default").varint(0).bool(false)
                .varint(0).toByteArray();
    }

    /** An image event whose attributes map claims {@link #HUGE_COUNT} entries in a few bytes. */
    public byte[] attributesBomb(String id) {
        return AvroBytes.confluent(imageEventSchemaId).string(id).string("file:///x.png").string("default").varint(0)
                .bool(false).varint(HUGE_COUNT).toByteArray();
    }

    /** The 22-byte label definition whose prompts array claims {@link #HUGE_COUNT} items. */
    public byte[] promptsBomb() {
        return AvroBytes.confluent(labelDefinitionSchemaId).string("bomb").string("default").varint(HUGE_COUNT)
                .toByteArray();
    }

    /** A label definition with {@code count} prompts of {@code chars} characters each. */
    public static LabelDefinition hugeDefinition(String labelId, int count, int chars) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = "prompt " + i + " ";
            prompts.add(n + "p".repeat(Math.max(0, chars - n.length())));
        }
        return LabelDefinition.newBuilder().setLabelId(labelId).setLabelSet("default").setPrompts(prompts).build();
    }

    /** An image event whose uri is {@code chars} characters long. */
    public static ImageEvent hugeUri(String id, int chars) {
        String prefix = "https://images.example.com/";
        return ImageEvent.newBuilder().setId(id).setUri(prefix + "a".repeat(chars - prefix.length())).build();
    }

    /** An image event with one attribute of {@code bytes} bytes. */
    public static ImageEvent withAttribute(String id, String uri, int bytes) {
        return ImageEvent.newBuilder().setId(id).setUri(uri).setAttributes(Map.of("note", "n".repeat(bytes))).build();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
