package org.fgclip2.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.management.ThreadMXBean;
import java.io.EOFException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.Stage;
import org.fgclip2.serialization.WireFormatException.Reason;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.fgclip2.serialization.testdata.AvroBytes;
import org.fgclip2.serialization.testdata.SchemaVersions;
import org.junit.jupiter.api.Test;

/**
 * Records crafted to claim more than they hold are refused at once, with a message naming the claim, and
 * without allocating what they claim. Each payload is written by hand against a schema id the registry knows.
 */
class ConfluentAvroHostilePayloadTest {

    private static final String TOPIC = "hostile";
    /** The largest count Avro's own limits let through by default; its decoder then allocates it. */
    private static final long HUGE_COUNT = Integer.MAX_VALUE - 8;
    private static final long ALLOCATION_LIMIT = 1 << 20;

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void labelDefinitionWhosePromptsClaimTwoBillionItems() {
        Deserializer<LabelDefinition> deserializer = warmedUp(LabelDefinition.class, labelDefinition());
        byte[] payload = AvroBytes.confluent(idOf(LabelDefinition.getClassSchema()))
                .string("c").string("default").varint(HUGE_COUNT).string("a").toByteArray();

        assertThat(payload).hasSize(22);
        assertRefusedCheaply(deserializer, payload,
                "ends before the record does (22 bytes in all",
                "an array claims 2147483639 items but only 2 bytes of the record remain",
                "truncated, corrupt or hostile");
    }

    /** Shows that the allocation measured above can fail: Avro's decoder allocates an item slot per claimed item. */
    @Test
    void avrosOwnDecoderAllocatesWhatAnArrayClaims() throws Exception {
        DatumReader<LabelDefinition> reader = new SpecificDatumReader<>(LabelDefinition.class);
        reader.read(null, DecoderFactory.get().binaryDecoder(AvroBytes.body().string("c").string("default").varint(0)
                .varint(0).varint(0).bool(false).varint(0).varint(0).toByteArray(), null));
        byte[] body = AvroBytes.body().string("c").string("default").varint(10_000_000).string("a").toByteArray();

        long before = allocatedBytes();
        Throwable thrown = catchThrowable(() -> reader.read(null, DecoderFactory.get().binaryDecoder(body, null)));
        long allocated = allocatedBytes() - before;

        assertThat(thrown).isInstanceOf(EOFException.class);
        assertThat(allocated).isGreaterThan(10_000_000L);
    }

    @Test
    void imageEventWhoseAttributesClaimTwoBillionEntries() {
        Deserializer<ImageEvent> deserializer = warmedUp(ImageEvent.class, imageEvent());
        byte[] payload = imageEventHeader().string("img-1").string("file:a.jpg").string("default").varint(0).bool(false)
                .varint(HUGE_COUNT).string("k").string("v").toByteArray();

        assertRefusedCheaply(deserializer, payload, "a map claims 2147483639 entries but only 4 bytes of the record remain");
    }

    @Test
    void idClaimingAGibibyte() {
        Deserializer<ImageEvent> deserializer = warmedUp(ImageEvent.class, imageEvent());
        byte[] payload = imageEventHeader().varint(1L << 30).raw('a', 'b', 'c').toByteArray();

        assertRefusedCheaply(deserializer, payload, "a string claims 1073741824 bytes but only 3 bytes of the record remain");
    }

    @Test
    void deadLetterValueClaimingATebibyte() {
        Deserializer<DeadLetter> deserializer = warmedUp(DeadLetter.class, deadLetter());
        byte[] payload = AvroBytes.confluent(idOf(DeadLetter.getClassSchema()))
                .string("images").varint(0).varint(42).varint(0).varint(1).varint(1L << 40).raw(1, 2, 3).toByteArray();

        assertRefusedCheaply(deserializer, payload, "a bytes value claims 1099511627776 bytes but only 3 bytes of the record remain");
    }

    @Test
    void negativeStringLength() {
        Deserializer<ImageEvent> deserializer = warmedUp(ImageEvent.class, imageEvent());
        byte[] payload = imageEventHeader().varint(-5).raw('a', 'b').toByteArray();

        assertRefusedCheaply(deserializer, payload,
                "Cannot decode the Avro body", "a string claims a negative length, -5 bytes", "corrupt or hostile");
    }

    @Test
    void varintOfElevenBytes() {
        Deserializer<ImageEvent> deserializer = warmedUp(ImageEvent.class, imageEvent());
        byte[] payload = imageEventHeader().raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01).toByteArray();

        assertRefusedCheaply(deserializer, payload, "the varint of a string's length runs on past 10 bytes");
    }

    @Test
    void varintBeyondSixtyFourBits() {
        Deserializer<ImageEvent> deserializer = warmedUp(ImageEvent.class, imageEvent());
        byte[] payload = imageEventHeader().raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02).toByteArray();

        assertRefusedCheaply(deserializer, payload, "the varint of a string's length does not fit in 64 bits");
    }

    @Test
    void intBeyondThirtyTwoBits() {
        Deserializer<DeadLetter> deserializer = warmedUp(DeadLetter.class, deadLetter());
        byte[] payload = AvroBytes.confluent(idOf(DeadLetter.getClassSchema())).string("images").varint(1L << 33).toByteArray();

        assertRefusedCheaply(deserializer, payload, "an int is encoded as 8589934592, beyond the 32 bits of an Avro int");
    }

    @Test
    void imageEventWhoseRegionsClaimTwoBillionBoxes() {
        Deserializer<ImageEvent> deserializer = warmedUp(ImageEvent.class, imageEvent());
        byte[] payload = imageEventHeader().string("img-1").string("file:a.jpg").string("default").varint(0).bool(false)
                .varint(0).varint(HUGE_COUNT).string("box").float32(0f).toByteArray();

        assertRefusedCheaply(deserializer, payload, "an array claims 2147483639 items but only 8 bytes of the record remain");
    }

    @Test
    void hugeCountInsideANestedArray() {
        Deserializer<CaptionEmbeddings> deserializer = warmedUp(CaptionEmbeddings.class, captionEmbeddings());
        byte[] payload = AvroBytes.confluent(idOf(CaptionEmbeddings.getClassSchema()))
                .string("cat").string("default").string("fg-clip2@1").string("ab12").varint(0).bool(false)
                .varint(1).varint(HUGE_COUNT).float32(0.5f).toByteArray();

        assertRefusedCheaply(deserializer, payload, "an array claims 2147483639 items but only 4 bytes of the record remain");
    }

    @Test
    void negativeBlockCountWhoseSizeIsHuge() {
        Deserializer<LabelDefinition> deserializer = warmedUp(LabelDefinition.class, labelDefinition());
        byte[] payload = AvroBytes.confluent(idOf(LabelDefinition.getClassSchema()))
                .string("c").string("default").varint(-1).varint(1L << 40).string("a").toByteArray();

        assertRefusedCheaply(deserializer, payload, "a block of an array claims 1099511627776 bytes but only 2 bytes of the record remain");
    }

    @Test
    void hugeCountInAFieldTheReaderSkips() {
        Deserializer<LabelDefinition> deserializer = warmedUp(LabelDefinition.class, labelDefinition());
        int writerId = registerWriterWithAliases(deserializer);
        byte[] payload = AvroBytes.confluent(writerId)
                .string("c").string("default").varint(HUGE_COUNT).string("x").toByteArray();

        assertRefusedCheaply(deserializer, payload, "an array claims 2147483639 items but only 2 bytes of the record remain");
    }

    @Test
    void hugeSizedBlockInAFieldTheReaderSkips() {
        Deserializer<LabelDefinition> deserializer = warmedUp(LabelDefinition.class, labelDefinition());
        int writerId = registerWriterWithAliases(deserializer);
        byte[] payload = AvroBytes.confluent(writerId)
                .string("c").string("default").varint(-3).varint(1L << 40).string("x").toByteArray();

        assertRefusedCheaply(deserializer, payload, "a block of an array claims 1099511627776 bytes but only 2 bytes of the record remain");
    }

    @Test
    void blocksOfItemsThatTakeNoBytesShareOneBudget() {
        Deserializer<GenericRecord> deserializer = warmedUpOnNulls();
        // each block claims all that remains: without a budget, the square of the record's size in all
        AvroBytes payload = AvroBytes.confluent(nullsId());
        for (int count = 39; count > 0; count--) {
            payload.varint(count);
        }
        payload.varint(0);

        assertRefusedCheaply(deserializer, payload.toByteArray(),
                "the arrays and maps of the record claim 77 items and entries in all, more than the 40 bytes of its Avro body",
                "items that take no bytes (null, an empty record) are limited to one per byte");
    }

    /** The price of the bound, documented: a valid array of nulls at the end of a record is refused. */
    @Test
    void nullsAreLimitedToTheBytesThatRemain() {
        Deserializer<GenericRecord> deserializer = warmedUpOnNulls();

        assertRefusedCheaply(deserializer, AvroBytes.confluent(nullsId()).varint(3).varint(0).toByteArray(),
                "an array claims 3 items but only 1 byte of the record remains");
    }

    /** LabelDefinition as a newer writer has it, with an array field between labelSet and prompts. */
    private int registerWriterWithAliases(Deserializer<LabelDefinition> deserializer) {
        Schema writer = SchemaVersions.withField(LabelDefinition.getClassSchema(), 2, "aliases",
                Schema.createArray(Schema.create(Schema.Type.STRING)));
        int id = registry.register(TOPIC + "-value", writer);
        byte[] valid = AvroBytes.confluent(id).string("c").string("default").varint(1).string("x").varint(0)
                .varint(0).varint(0).varint(0).bool(false).varint(0).varint(0).toByteArray();
        assertThat(deserializer.deserialize(TOPIC, valid).getLabelId()).isEqualTo("c");
        return id;
    }

    private AvroBytes imageEventHeader() {
        return AvroBytes.confluent(idOf(ImageEvent.getClassSchema()));
    }

    private int idOf(Schema schema) {
        return registry.idOf(TOPIC + "-value", schema).orElseThrow();
    }

    /**
     * A deserializer that has read one valid record, so that fetching and resolving the schema is done before
     * allocation is measured.
     */
    private <T extends SpecificRecord> Deserializer<T> warmedUp(Class<T> type, T valid) {
        Serde<T> serde = new ConfluentAvroSerdes(registry).specific(type, false);
        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, valid))).isEqualTo(valid);
        return serde.deserializer();
    }

    /** A generic deserializer that has read a record of {@code nulls}, an array of nulls. */
    private Deserializer<GenericRecord> warmedUpOnNulls() {
        Deserializer<GenericRecord> deserializer = ConfluentAvroDeserializer.generic(registry);
        assertThat(deserializer.deserialize(TOPIC, AvroBytes.confluent(nullsId()).varint(0).toByteArray())).isNotNull();
        return deserializer;
    }

    private int nullsId() {
        Schema nulls = SchemaBuilder.record("Nulls").fields().name("nulls").type().array().items().nullType().noDefault()
                .endRecord();
        return registry.register(TOPIC + "-value", nulls);
    }

    private static void assertRefusedCheaply(Deserializer<?> deserializer, byte[] payload, String... messageParts) {
        long before = allocatedBytes();
        Throwable thrown = catchThrowable(() -> deserializer.deserialize(TOPIC, payload));
        long allocated = allocatedBytes() - before;

        assertThat(thrown).isInstanceOfSatisfying(WireFormatException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.AVRO_DECODE_FAILED));
        for (String part : messageParts) {
            assertThat(thrown).hasMessageContaining(part);
        }
        assertThat(allocated).as("bytes allocated while refusing the record").isLessThan(ALLOCATION_LIMIT);
    }

    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static LabelDefinition labelDefinition() {
        return LabelDefinition.newBuilder().setLabelId("cat").setPrompts(List.of("a cat")).build();
    }

    private static ImageEvent imageEvent() {
        return ImageEvent.newBuilder().setId("img-1").setUri("file:a.jpg").build();
    }

    private static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setTopic("images").setPartition(0).setOffset(42).setStage(Stage.DESERIALIZE)
                .setReason("test").setFailedAt(Instant.ofEpochMilli(0)).build();
    }

    private static CaptionEmbeddings captionEmbeddings() {
        return CaptionEmbeddings.newBuilder().setLabelId("cat").setLabelSet("default").setModelId("fg-clip2@1")
                .setPromptsHash("ab12").setPrompts(List.of("a cat")).setEmbeddings(List.of(List.of(0.5f)))
                .setBoxPrompt("a cat").setBoxEmbedding(List.of(0.5f)).setEmbeddedAt(Instant.ofEpochMilli(0))
                .build();
    }
}
