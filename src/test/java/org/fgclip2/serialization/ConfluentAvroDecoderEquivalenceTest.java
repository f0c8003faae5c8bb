package org.fgclip2.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Type;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.fgclip2.serialization.testdata.AvroBytes;
import org.fgclip2.serialization.testdata.RandomAvroValues;
import org.fgclip2.serialization.testdata.RandomBlockEncoder;
import org.fgclip2.serialization.testdata.SchemaVersions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bounded decoder reads every valid record exactly as Avro's own decoder does. Random records of each schema
 * in {@code schemas/}, written by hand with arrays and maps in random blocks, some sized, are read both ways: with
 * the writer's schema, resolved to the schema file, and resolved to the generated class; written with the same
 * version of the schema, an older one without its defaulted fields, or a newer one with fields the reader skips.
 */
class ConfluentAvroDecoderEquivalenceTest {

    private static final Path SCHEMAS = Path.of("schemas");
    private static final String TOPIC = "equivalence";
    private static final int RECORDS = 150;
    /** One field of each kind the reader has to skip in a newer writer's records. */
    private static final Map<String, Schema> NEWER_FIELDS = newerFields();

    enum WriterVersion { SAME, OLDER, NEWER }

    static Stream<Arguments> schemaFilesAndWriterVersions() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(SCHEMAS)) {
            files = listing.filter(file -> file.toString().endsWith(".avsc")).sorted().toList();
        }
        assertThat(files).as("schema files under %s", SCHEMAS.toAbsolutePath()).isNotEmpty();
        return files.stream().flatMap(file -> Stream.of(WriterVersion.values()).map(version -> Arguments.of(file, version)));
    }

    @ParameterizedTest(name = "{0}, {1} writer")
    @MethodSource("schemaFilesAndWriterVersions")
    void decodesWhatAvrosOwnDecoderDoes(Path file, WriterVersion version) throws Exception {
        Schema reader = new Schema.Parser().parse(file.toFile());
        Class<? extends SpecificRecord> type = Class.forName(reader.getFullName()).asSubclass(SpecificRecord.class);
        SpecificData specificModel = SpecificData.getForClass(type);
        Random random = new Random(file.getFileName().toString().hashCode() * 31L + version.ordinal());
        Schema writer = writer(reader, version, random);
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        int id = registry.register(TOPIC + "-value", writer);
        List<Comparison> comparisons = List.of(
                new Comparison("generic with the writer's schema",
                        ConfluentAvroDeserializer.generic(registry), GenericData.get(), writer, writer),
                new Comparison("generic resolved to " + file.getFileName(),
                        ConfluentAvroDeserializer.generic(registry, reader), GenericData.get(), writer, reader),
                new Comparison("specific " + type.getSimpleName(),
                        ConfluentAvroDeserializer.specific(registry, type), specificModel, writer, specificModel.getSchema(type)));
        RandomBlockEncoder encoder = new RandomBlockEncoder(random);

        for (int i = 0; i < RECORDS; i++) {
            Object value = RandomAvroValues.of(writer, random);
            byte[] body = encoder.encode(writer, value);
            byte[] payload = AvroBytes.confluent(id).raw(body).toByteArray();

            assertThat(comparisons.get(0).decodeWithAvro(body)).as("record %d as Avro reads it", i).isEqualTo(value);
            for (Comparison comparison : comparisons) {
                Object ours = comparison.ours().deserialize(TOPIC, payload);
                Object avros = comparison.decodeWithAvro(body);
                assertThat(ours).hasSameClassAs(avros);
                assertThat(comparison.encode(ours))
                        .as("record %d, %s, re-encoded: ours %s, Avro's %s", i, comparison.name(), ours, avros)
                        .isEqualTo(comparison.encode(avros));
            }
        }
    }

    /**
     * One way of reading, ours and Avro's. Their values are compared by their encoding, which is exact (NaN
     * payloads included), because the equals of generated classes finds a NaN float unequal to itself.
     */
    private record Comparison(String name, Deserializer<?> ours, GenericData model, Schema writer, Schema reader) {

        Object decodeWithAvro(byte[] body) throws IOException {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(body, null);
            @SuppressWarnings("unchecked")
            DatumReader<Object> avro = (DatumReader<Object>) model.createDatumReader(writer, reader);
            Object value = avro.read(null, decoder);
            assertThat(decoder.isEnd()).as("Avro's decoder read the whole body").isTrue();
            return value;
        }

        byte[] encode(Object value) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            @SuppressWarnings("unchecked")
            DatumWriter<Object> datumWriter = (DatumWriter<Object>) model.createDatumWriter(reader);
            datumWriter.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        }
    }

    private static Schema writer(Schema reader, WriterVersion version, Random random) {
        return switch (version) {
            case SAME -> reader;
            case OLDER -> SchemaVersions.withoutDefaultedFields(reader);
            case NEWER -> {
                Schema newer = reader;
                for (Map.Entry<String, Schema> field : NEWER_FIELDS.entrySet()) {
                    int position = random.nextInt(newer.getFields().size() + 1);
                    newer = SchemaVersions.withField(newer, position, field.getKey(), field.getValue());
                }
                yield newer;
            }
        };
    }

    private static Map<String, Schema> newerFields() {
        String namespace = "org.fgclip2.serialization.newer";
        Map<String, Schema> fields = new LinkedHashMap<>();
        fields.put("aliases", Schema.createArray(Schema.create(Type.STRING)));
        fields.put("tiles", Schema.createMap(Schema.createArray(Schema.create(Type.INT))));
        fields.put("thumbnail", Schema.create(Type.BYTES));
        fields.put("digest", Schema.createFixed("Digest", null, namespace, 3));
        fields.put("colour", Schema.createEnum("Colour", null, namespace, List.of("RED", "GREEN", "BLUE")));
        fields.put("note", Schema.createUnion(Schema.create(Type.NULL), Schema.create(Type.STRING), Schema.create(Type.DOUBLE)));
        fields.put("origin", SchemaBuilder.record("Origin").namespace(namespace).fields()
                .requiredLong("at").requiredFloat("confidence").requiredBoolean("manual")
                .name("scores").type().array().items().doubleType().noDefault()
                .name("tags").type().map().values().stringType().noDefault()
                .endRecord());
        return fields;
    }
}
