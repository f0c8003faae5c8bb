package org.fgclip2.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V1;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V2;
import static org.fgclip2.serialization.testdata.TestSchemas.greetingV1;
import static org.fgclip2.serialization.testdata.TestSchemas.greetingV2;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.fgclip2.serialization.WireFormatException.Reason;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.fgclip2.serialization.registry.RestSchemaRegistryClient;
import org.fgclip2.serialization.registry.SchemaRegistryConfig;
import org.fgclip2.serialization.testdata.Greeting;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private static final String TOPIC = "greetings";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ConfluentAvroSerdes serdes = new ConfluentAvroSerdes(registry);

    @Test
    void writesTheConfluentWireFormat() {
        byte[] payload = serdes.generic(false).serializer().serialize(TOPIC, greetingV1("hi", 3));

        int id = registry.latest("greetings-value").orElseThrow().id();
        // magic 0, id big-endian, then Avro binary: string "hi" = zigzag length 4, 'h', 'i'; int 3 = zigzag 6
        byte[] expected = {0, 0, 0, 0, (byte) id, 0x04, 'h', 'i', 0x06};
        assertThat(payload).containsExactly(expected);
    }

    @Test
    void specificRecordsRoundTrip() {
        Serde<Greeting> serde = serdes.specific(Greeting.class, false);
        Greeting greeting = new Greeting("bonjour", 2, "fr");

        Greeting read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, greeting));

        assertThat(read).isEqualTo(greeting);
        assertThat(read.language()).isEqualTo("fr");
        assertThat(registry.latest("greetings-value").orElseThrow().schema()).isEqualTo(Greeting.SCHEMA$);
    }

    @Test
    void genericRecordsRoundTripWithTheWriterSchema() {
        Serde<GenericRecord> serde = serdes.generic(false);
        GenericRecord greeting = greetingV2("hallo", 7, "de");

        GenericRecord read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, greeting));

        assertThat(read.getSchema()).isEqualTo(GREETING_V2);
        assertThat(read).isEqualTo(greeting);
    }

    @Test
    void oldRecordsReadAsTheNewSpecificClassWithDefaults() {
        byte[] written = serdes.generic(false).serializer().serialize(TOPIC, greetingV1("hi", 1));

        Greeting read = ConfluentAvroDeserializer.specific(registry, Greeting.class).deserialize(TOPIC, written);

        assertThat(read.text()).isEqualTo("hi");
        assertThat(read.count()).isEqualTo(1);
        assertThat(read.language()).isEqualTo("en");
    }

    @Test
    void newRecordsReadWithAnOlderReaderSchemaDropTheNewField() {
        byte[] written = serdes.generic(false).serializer().serialize(TOPIC, greetingV2("ciao", 4, "it"));

        GenericRecord read = ConfluentAvroDeserializer.generic(registry, GREETING_V1).deserialize(TOPIC, written);

        assertThat(read.getSchema()).isEqualTo(GREETING_V1);
        assertThat(read.get("text").toString()).isEqualTo("ciao");
        assertThat(read.get("count")).isEqualTo(4);
        assertThat(read.hasField("language")).isFalse();
    }

    @Test
    void eachSubjectNameStrategyRegistersUnderItsSubject() {
        GenericRecord greeting = greetingV1("hi", 1);
        new ConfluentAvroSerializer<GenericRecord>(registry, true, SubjectNameStrategy.TOPIC_NAME, true).serialize("t1", greeting);
        new ConfluentAvroSerializer<GenericRecord>(registry, true, SubjectNameStrategy.TOPIC_NAME, false).serialize("t1", greeting);
        new ConfluentAvroSerializer<GenericRecord>(registry, true, SubjectNameStrategy.RECORD_NAME, false).serialize("t2", greeting);
        new ConfluentAvroSerializer<GenericRecord>(registry, true, SubjectNameStrategy.TOPIC_RECORD_NAME, false).serialize("t3", greeting);

        assertThat(registry.subjects()).containsExactlyInAnyOrder(
                "t1-key", "t1-value", "org.fgclip2.serialization.testdata.Greeting", "t3-org.fgclip2.serialization.testdata.Greeting");
    }

    @Test
    void withoutAutoRegistrationOnlyRegisteredSchemasAreWritten() {
        ConfluentAvroSerializer<GenericRecord> serializer =
                new ConfluentAvroSerializer<>(registry, false, SubjectNameStrategy.TOPIC_NAME, false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, greetingV1("hi", 1)))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_NOT_REGISTERED))
                .hasMessageContaining("greetings-value")
                .hasMessageContaining("auto-registration is off");

        int id = registry.register("greetings-value", GREETING_V1);
        byte[] payload = serializer.serialize(TOPIC, greetingV1("hi", 1));
        assertThat(ByteBuffer.wrap(payload, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void nullStaysNull() {
        Serde<GenericRecord> serde = serdes.generic(false);

        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void emptyPayload() {
        assertRejected(new byte[0], Reason.EMPTY_PAYLOAD, "Empty payload on topic 'greetings'");
    }

    @Test
    void payloadShorterThanTheHeader() {
        assertRejected(new byte[] {0, 0, 1}, Reason.TOO_SHORT, "3 byte(s)");
    }

    @Test
    void payloadWithoutTheMagicByte() {
        byte[] json = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

        assertRejected(json, Reason.WRONG_MAGIC_BYTE, "starts with byte 0x7b");
    }

    @Test
    void unknownSchemaId() {
        assertRejected(new byte[] {0, 0, 0, 0x30, 0x39, 0x02}, Reason.UNKNOWN_SCHEMA_ID, "schema id 12345");
    }

    @Test
    void writerSchemaThatTheReaderCannotResolve() {
        Schema countAsText = SchemaBuilder.record("Greeting").namespace("org.fgclip2.serialization.testdata").fields()
                .requiredString("text").requiredString("count").endRecord();
        GenericRecord odd = new GenericData.Record(countAsText);
        odd.put("text", "hi");
        odd.put("count", "three");
        byte[] written = serdes.generic(false).serializer().serialize(TOPIC, odd);

        assertThatThrownBy(() -> ConfluentAvroDeserializer.specific(registry, Greeting.class).deserialize(TOPIC, written))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("cannot be read as org.fgclip2.serialization.testdata.Greeting")
                .hasMessageContaining("/fields/1");
    }

    @Test
    void truncatedAvroBody() {
        byte[] written = serdes.generic(false).serializer().serialize(TOPIC, greetingV1("hello", 1));

        assertRejected(Arrays.copyOf(written, written.length - 3), Reason.AVRO_DECODE_FAILED, "ends before the record does");
    }

    @Test
    void corruptAvroBody() {
        // a string whose length is the zigzag encoding of -1
        byte[] payload = {0, 0, 0, 0, (byte) registry.register("greetings-value", GREETING_V1), 0x01};

        assertRejected(payload, Reason.AVRO_DECODE_FAILED, "Cannot decode the Avro body");
    }

    @Test
    void bytesLeftOverAfterTheRecord() {
        byte[] written = serdes.generic(false).serializer().serialize(TOPIC, greetingV1("hello", 1));

        assertRejected(Arrays.copyOf(written, written.length + 2), Reason.AVRO_DECODE_FAILED, "Bytes left over");
    }

    @Test
    void recordThatDoesNotMatchItsOwnSchema() {
        GenericRecord incomplete = new GenericData.Record(GREETING_V1);
        incomplete.put("count", 1);

        assertThatThrownBy(() -> serdes.generic(false).serializer().serialize(TOPIC, incomplete))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AVRO_ENCODE_FAILED))
                .hasMessageContaining("org.fgclip2.serialization.testdata.Greeting")
                .hasMessageContaining("text");
    }

    @Test
    void registryUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryConfig unreachable = SchemaRegistryConfig.forUrls("http://127.0.0.1:" + closedPort)
                .withRetries(1, Duration.ofMillis(10));
        ConfluentAvroSerdes offline = new ConfluentAvroSerdes(new RestSchemaRegistryClient(unreachable));

        assertThatThrownBy(() -> offline.generic(false).serializer().serialize(TOPIC, greetingV1("hi", 1)))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE))
                .hasMessageContaining("greetings-value")
                .hasMessageContaining("2 attempt(s)");
        assertThatThrownBy(() -> offline.generic(false).deserializer().deserialize(TOPIC, new byte[] {0, 0, 0, 0, 1, 0}))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE))
                .hasMessageContaining("schema id 1")
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }

    private void assertRejected(byte[] payload, Reason reason, String messagePart) {
        assertThatThrownBy(() -> serdes.generic(false).deserializer().deserialize(TOPIC, payload))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }
}
