package org.fgclip2.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.serialization.WireFormatException.Reason;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.fgclip2.serialization.testdata.AvroBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strings are decoded as strict UTF-8: a record whose string is not UTF-8 is refused, not patched with U+FFFD. */
class ConfluentAvroUtf8Test {

    private static final String TOPIC = "images";
    private static final byte[] IMG_1 = "img-1".getBytes(StandardCharsets.UTF_8);

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final int imageEventId = registry.register(TOPIC + "-value", ImageEvent.getClassSchema());

    @Test
    void anIdThatIsNotUtf8IsRefused() {
        byte[] payload = imageEvent(new byte[] {(byte) 0xc3, 0x28}, AvroBytes.body().varint(0));

        assertThatThrownBy(() -> ConfluentAvroDeserializer.specific(registry, ImageEvent.class).deserialize(TOPIC, payload))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AVRO_DECODE_FAILED))
                .hasMessageContaining("Cannot decode the Avro body of a record on topic 'images'")
                .hasMessageContaining("a string of 2 bytes is not valid UTF-8: byte(s) c3 at offset 0 of the string")
                .hasMessageContaining("Avro strings must be UTF-8");
    }

    /** Generic records read strings through another method of the decoder than generated classes do. */
    @Test
    void anIdThatIsNotUtf8IsRefusedAsAGenericRecordToo() {
        byte[] payload = imageEvent(new byte[] {(byte) 0xc3, 0x28}, AvroBytes.body().varint(0));

        assertThatThrownBy(() -> ConfluentAvroDeserializer.generic(registry).deserialize(TOPIC, payload))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AVRO_DECODE_FAILED))
                .hasMessageContaining("not valid UTF-8");
    }

    /** Overlong forms, UTF-16 surrogates, code points past U+10FFFF, cut-off and stray bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"c0af", "e08080", "eda080", "f4908080", "e4b8", "80", "ff", "61e4b8"})
    void malformedSequencesAreRefusedWhereverTheStringIs(String hex) {
        byte[] malformed = HexFormat.of().parseHex(hex);
        Deserializer<ImageEvent> deserializer = ConfluentAvroDeserializer.specific(registry, ImageEvent.class);
        Deserializer<GenericRecord> generic = ConfluentAvroDeserializer.generic(registry);

        for (byte[] payload : List.of(
                imageEvent(malformed, AvroBytes.body().varint(0)),
                imageEvent(IMG_1, AvroBytes.body().varint(1).bytes(malformed).string("value").varint(0)),
                imageEvent(IMG_1, AvroBytes.body().varint(1).string("key").bytes(malformed).varint(0)))) {
            for (Deserializer<?> reader : List.of(deserializer, generic)) {
                assertThatThrownBy(() -> reader.deserialize(TOPIC, payload))
                        .isInstanceOf(WireFormatException.class)
                        .hasMessageContaining("is not valid UTF-8");
            }
        }
    }

    @Test
    void multiByteUtf8DecodesExactly() {
        ConfluentAvroSerdes serdes = new ConfluentAvroSerdes(registry);
        Serde<LabelDefinition> labels = serdes.specific(LabelDefinition.class, false);
        LabelDefinition cat = LabelDefinition.newBuilder().setLabelId("猫").setLabelSet("动物")
                .setPrompts(List.of("一只猫", "🐱 a cat", "naïve café", "", "\u0000", "𝄞 ∑ ü ß"))
                .setBoxPrompt("猫的脸 😺").build();
        Serde<ImageEvent> images = serdes.specific(ImageEvent.class, false);
        ImageEvent event = ImageEvent.newBuilder().setId("图片-1").setUri("file:猫.jpg")
                .setAttributes(Map.of("来源", "👩‍💻", "emoji", "🏳️‍🌈")).build();

        byte[] labelPayload = labels.serializer().serialize("labels", cat);
        byte[] imagePayload = images.serializer().serialize(TOPIC, event);

        assertThat(labels.deserializer().deserialize("labels", labelPayload)).isEqualTo(cat);
        assertThat(images.deserializer().deserialize(TOPIC, imagePayload)).isEqualTo(event);
        GenericRecord generic = ConfluentAvroDeserializer.generic(registry).deserialize("labels", labelPayload);
        assertThat((List<?>) generic.get("prompts")).map(Object::toString).isEqualTo(cat.getPrompts());
        assertThat(generic.get("boxPrompt").toString()).isEqualTo("猫的脸 😺");
    }

    /** An ImageEvent whose id has the given bytes, then uri, labelSet, maxPatches, heatmaps, attributes, no regions. */
    private byte[] imageEvent(byte[] id, AvroBytes attributes) {
        return AvroBytes.confluent(imageEventId).bytes(id).string("file:a.jpg").string("default").varint(0).bool(false)
                .raw(attributes.toByteArray()).varint(0).toByteArray();
    }
}
