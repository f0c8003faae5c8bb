package org.fgclip2.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V3_INCOMPATIBLE;
import static org.fgclip2.serialization.testdata.TestSchemas.greetingV1;

import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.fgclip2.serialization.WireFormatException.Reason;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.serialization.testdata.Greeting;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serdes against a real registry (Apicurio's Confluent API) with BACKWARD compatibility. */
@ExtendWith(LocalSchemaRegistryExtension.class)
class ConfluentAvroSerdeIT {

    private final LocalSchemaRegistry registry;
    private String topic;

    ConfluentAvroSerdeIT(LocalSchemaRegistry registry) {
        this.registry = registry;
    }

    @BeforeEach
    void topicOfItsOwn(TestInfo test) {
        topic = "serde-it-" + test.getTestMethod().orElseThrow().getName();
    }

    @Test
    void recordsWrittenByOneClientAreReadByAnother() {
        Greeting greeting = new Greeting("你好, FG-CLIP 2", 2, "zh");

        byte[] payload = connect().specific(Greeting.class, false).serializer().serialize(topic, greeting);
        Greeting read = connect().specific(Greeting.class, false).deserializer().deserialize(topic, payload);

        assertThat(read).isEqualTo(greeting);
        int registeredId = connect().registry().latest(topic + "-value").orElseThrow().id();
        assertThat(ByteBuffer.wrap(payload, 1, 4).getInt()).isEqualTo(registeredId);
    }

    @Test
    void recordsOfEveryCompatibleVersionReadAsTheNewestClass() {
        ConfluentAvroSerdes writer = connect();
        byte[] old = writer.generic(false).serializer().serialize(topic, greetingV1("old", 1));
        byte[] current = writer.specific(Greeting.class, false).serializer().serialize(topic, new Greeting("new", 2, "fr"));

        ConfluentAvroDeserializer<Greeting> reader = ConfluentAvroDeserializer.specific(connect().registry(), Greeting.class);
        assertThat(reader.deserialize(topic, old)).isEqualTo(new Greeting("old", 1, "en"));
        assertThat(reader.deserialize(topic, current)).isEqualTo(new Greeting("new", 2, "fr"));
        assertThat(connect().registry().latest(topic + "-value").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void anIncompatibleRecordIsRejectedWithTheRegistrysReason() {
        connect().specific(Greeting.class, false).serializer().serialize(topic, new Greeting("v2", 1, "en"));
        GenericRecord incompatible = new GenericData.Record(GREETING_V3_INCOMPATIBLE);
        incompatible.put("text", "v3");
        incompatible.put("count", 1);
        incompatible.put("language", "en");
        incompatible.put("priority", 9);

        assertThatThrownBy(() -> connect().generic(false).serializer().serialize(topic, incompatible))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_REJECTED))
                .hasMessageContaining(topic + "-value")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("priority");
    }

    @Test
    void withoutAutoRegistrationAnUnknownSchemaIsNotWritten() {
        ConfluentAvroSerdes strict = new ConfluentAvroSerdes(connect().registry(), false, SubjectNameStrategy.TOPIC_NAME);

        assertThatThrownBy(() -> strict.generic(false).serializer().serialize(topic, greetingV1("hi", 1)))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_NOT_REGISTERED));
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsReported() {
        byte[] payload = {0, 0x0f, 0x42, 0x40, 0x00, 0x02}; // schema id 256 000 000

        assertThatThrownBy(() -> connect().generic(false).deserializer().deserialize(topic, payload))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
                .hasMessageContaining("schema id 256000000");
    }

    private ConfluentAvroSerdes connect() {
        return ConfluentAvroSerdes.connect(AvroSerdeConfig.forRegistry(registry.url().toString()));
    }
}
