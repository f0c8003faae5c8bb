package org.fgclip2.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelTrigger;
import org.fgclip2.avro.Stage;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The schemas are a contract with consumers we never meet: every schema in {@code schemas/} is checked against
 * every released version ({@code src/test/resources/avro/released/<Name>-<version>.avsc}) with a real registry's
 * compatibility API. New readers must read all old data (BACKWARD_TRANSITIVE) and old readers all new data
 * (FORWARD_TRANSITIVE). The one exception is documented and checked to the letter: DeadLetter version 1 has an
 * enum without a default, so a reader holding it cannot read the stages added since (LABELS, UNKNOWN) and reads
 * every other dead letter; version 2 adds the default, so no stage added later can break a reader again.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class SchemaEvolutionIT {

    private static final Path RELEASED = Path.of("src/test/resources/avro/released");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everySchemaReadsAllReleasedDataAndReleasedReadersReadItsData(LocalSchemaRegistry registry) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("schemas"))) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString().replace(".avsc", "");
                String subject = "evolution-" + name + "-value";
                List<Path> released = released(name);
                assertThat(released).as("released versions of %s", name).isNotEmpty();
                for (Path version : released) {
                    register(registry, subject, Files.readString(version));
                }
                String current = Files.readString(file);
                setCompatibility(registry, subject, "BACKWARD_TRANSITIVE");
                assertThat(compatible(registry, subject, current)).as("%s reads every released version", name).isTrue();
                setCompatibility(registry, subject, "FORWARD_TRANSITIVE");
                boolean forward = compatible(registry, subject, current);
                if (name.equals("DeadLetter")) {
                    assertThat(forward).as("DeadLetter 1 has an enum without default: the documented exception")
                            .isFalse();
                } else {
                    assertThat(forward).as("every released reader of %s reads the current version", name).isTrue();
                }
            }
        }
    }

    @Test
    void aStageAddedLaterIsReadableByReadersOfTheCurrentDeadLetter(LocalSchemaRegistry registry) throws Exception {
        assertASymbolAddedLaterIsFullyCompatible(registry, "evolution-dead-letter-next-value",
                DeadLetter.getClassSchema().toString(), "\"LABELS\",\"UNKNOWN\"]");
    }

    /** Registers {@code current}, then checks that the enum ending in {@code lastSymbols} can take one more. */
    private void assertASymbolAddedLaterIsFullyCompatible(LocalSchemaRegistry registry, String subject,
                                                          String current, String lastSymbols) throws Exception {
        register(registry, subject, current);
        String next = current.replace(lastSymbols, lastSymbols.replace("]", ",\"SOMETHING_NEW\"]"));
        assertThat(next).isNotEqualTo(current);
        setCompatibility(registry, subject, "FULL_TRANSITIVE");
        assertThat(compatible(registry, subject, next)).as("the enum default makes a new symbol FULL compatible")
                .isTrue();
    }

    @Test
    void aTriggerAddedLaterReadsAsNewImageAndOldLabelsReadWithTheDefaultTrigger(LocalSchemaRegistry registry)
            throws Exception {
        assertASymbolAddedLaterIsFullyCompatible(registry, "evolution-image-labels-next-value",
                ImageLabels.getClassSchema().toString(), "\"NEW_IMAGE\",\"LABELS_CHANGED\"]");

        Schema v2 = new Schema.Parser().parse(RELEASED.resolve("ImageLabels-2.avsc").toFile());
        GenericData.Record old = new GenericData.Record(v2);
        old.put("imageId", "i");
        old.put("uri", "file:i.jpg");
        old.put("labelSet", "s");
        old.put("modelId", "m");
        old.put("labelSetVersion", "v");
        old.put("labels", List.of());
        old.put("spatialShape", List.of(2, 2));
        old.put("attributes", Map.of());
        old.put("eventTimestamp", 0L);
        old.put("labelledAt", 0L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v2).write(old, encoder);
        encoder.flush();
        GenericRecord now = new GenericDatumReader<GenericRecord>(v2, ImageLabels.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(now.get("trigger").toString()).isEqualTo(LabelTrigger.NEW_IMAGE.name());
    }

    @Test
    void aReaderOfDeadLetterOneReadsEveryDeadLetterButThoseOfTheNewStages() throws Exception {
        Schema v1 = new Schema.Parser().parse(RELEASED.resolve("DeadLetter-1.avsc").toFile());
        for (Stage stage : Stage.values()) {
            byte[] bytes = encode(DeadLetter.newBuilder().setTopic("t").setPartition(0).setOffset(1)
                    .setValue(ByteBuffer.wrap(new byte[] {1, 2})).setStage(stage).setReason("r")
                    .setFailedAt(Instant.EPOCH).setValueLength(2).setTruncated(false).build());
            GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(DeadLetter.getClassSchema(), v1);
            boolean added = stage == Stage.LABELS || stage == Stage.UNKNOWN;
            try {
                GenericRecord read = reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
                assertThat(added).as("stage %s should not be readable by version 1", stage).isFalse();
                assertThat(read.get("stage").toString()).isEqualTo(stage.name());
                assertThat(((ByteBuffer) read.get("value")).remaining()).isEqualTo(2);
            } catch (AvroTypeException e) {
                assertThat(added).as("stage %s must be readable by version 1: %s", stage, e.getMessage()).isTrue();
            }
        }
        // and the other way round: version 1 data reads with the new fields' defaults
        GenericData.Record old = new GenericData.Record(v1);
        old.put("topic", "t");
        old.put("partition", 0);
        old.put("offset", 1L);
        old.put("stage", new GenericData.EnumSymbol(v1.getField("stage").schema(), "FETCH"));
        old.put("reason", "r");
        old.put("failedAt", 0L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();
        GenericRecord now = new GenericDatumReader<GenericRecord>(v1, DeadLetter.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(now.get("truncated")).isEqualTo(false);
        assertThat(now.get("valueLength")).isNull();
    }

    private static byte[] encode(DeadLetter letter) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(DeadLetter.class).write(letter, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static List<Path> released(String name) throws IOException {
        try (Stream<Path> files = Files.list(RELEASED)) {
            return files.filter(f -> f.getFileName().toString().startsWith(name + "-")).sorted().toList();
        }
    }

    private void register(LocalSchemaRegistry registry, String subject, String schema) throws Exception {
        JsonNode answer = call(registry, "POST", "/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(answer.has("id")).as("registered: %s", answer).isTrue();
    }

    private void setCompatibility(LocalSchemaRegistry registry, String subject, String level) throws Exception {
        call(registry, "PUT", "/config/" + subject, JSON.writeValueAsString(JSON.createObjectNode()
                .put("compatibility", level)));
    }

    private boolean compatible(LocalSchemaRegistry registry, String subject, String schema) throws Exception {
        JsonNode answer = call(registry, "POST", "/compatibility/subjects/" + subject + "/versions/latest",
                schemaBody(schema));
        assertThat(answer.has("is_compatible")).as("compatibility answer: %s", answer).isTrue();
        return answer.get("is_compatible").asBoolean();
    }

    private static String schemaBody(String schema) throws IOException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
    }

    private JsonNode call(LocalSchemaRegistry registry, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }
}
