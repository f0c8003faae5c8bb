package org.fgclip2.serialization;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.fgclip2.serialization.WireFormatException.Reason;
import org.fgclip2.serialization.registry.SchemaRegistryClient;
import org.fgclip2.serialization.registry.SchemaRegistryException;

/**
 * Reads records in the Confluent Avro wire format. The writer's schema is fetched from the registry by the id
 * in the header (once per id) and resolved against the reader's schema by Avro's schema resolution, so records
 * written with older or newer compatible versions read fine. {@code null} stays {@code null}. Thread-safe.
 *
 * <p>The body is read by a {@link BoundedBinaryDecoder}, so a record cannot make decoding allocate more than
 * its size warrants, and a string that is not UTF-8 is refused rather than patched with U+FFFD.
 *
 * <p>Failures are {@link WireFormatException}s, one {@link Reason} per way a payload can be bad. Instances are
 * fully set up by their factory methods; Kafka's {@code configure(Map, boolean)} changes nothing.
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private final SchemaRegistryClient registry;
    /** Null: read with the writer's schema. */
    private final Schema readerSchema;
    private final GenericData model;
    private final Map<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    private ConfluentAvroDeserializer(SchemaRegistryClient registry, Schema readerSchema, GenericData model) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.model = model;
    }

    /** Reads instances of a generated class, whose schema is the reader's schema. */
    public static <T extends SpecificRecord> ConfluentAvroDeserializer<T> specific(SchemaRegistryClient registry, Class<T> type) {
        SpecificData model = SpecificData.getForClass(type);
        return new ConfluentAvroDeserializer<>(registry, model.getSchema(type), model);
    }

    /** Reads generic records as they were written, with the writer's own schema. */
    public static ConfluentAvroDeserializer<GenericRecord> generic(SchemaRegistryClient registry) {
        return new ConfluentAvroDeserializer<>(registry, null, GenericData.get());
    }

    /** Reads generic records resolved to {@code readerSchema} (which must be a record schema). */
    public static ConfluentAvroDeserializer<GenericRecord> generic(SchemaRegistryClient registry, Schema readerSchema) {
        if (readerSchema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("The reader schema of a GenericRecord deserializer must be a record, not "
                    + readerSchema.getType());
        }
        return new ConfluentAvroDeserializer<>(registry, readerSchema, GenericData.get());
    }

    @Override
    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        int schemaId = WireFormat.schemaId(topic, payload);
        DatumReader<T> reader = reader(topic, schemaId);
        BoundedBinaryDecoder decoder =
                new BoundedBinaryDecoder(payload, WireFormat.HEADER_LENGTH, payload.length - WireFormat.HEADER_LENGTH);
        T value;
        boolean leftOver;
        try {
            value = reader.read(null, decoder);
            leftOver = !decoder.isEnd();
        } catch (EOFException e) {
            throw new WireFormatException(Reason.AVRO_DECODE_FAILED,
                    "The Avro body of a record on topic '" + topic + "' ends before the record does (" + payload.length
                            + " bytes in all, writer schema id " + schemaId + "): " + e.getMessage()
                            + ": truncated, corrupt or hostile, or not written with that schema",
                    e);
        } catch (MalformedAvroException e) {
            throw new WireFormatException(Reason.AVRO_DECODE_FAILED,
                    "Cannot decode the Avro body of a record on topic '" + topic + "' with its writer schema id " + schemaId
                            + " (" + payload.length + " bytes in all): " + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(Reason.AVRO_DECODE_FAILED,
                    "Cannot decode the Avro body of a record on topic '" + topic + "' with its writer schema id " + schemaId
                            + " (" + payload.length + " bytes in all): " + e,
                    e);
        }
        if (leftOver) {
            throw new WireFormatException(Reason.AVRO_DECODE_FAILED,
                    "Bytes left over after decoding a record on topic '" + topic + "' with its writer schema id " + schemaId
                            + " (" + payload.length + " bytes in all): the body does not match that schema");
        }
        return value;
    }

    private DatumReader<T> reader(String topic, int schemaId) {
        DatumReader<T> known = readersBySchemaId.get(schemaId);
        if (known != null) {
            return known;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            throw RegistryFailures.translate(e, Reason.UNKNOWN_SCHEMA_ID,
                    "Cannot get the writer schema id " + schemaId + " of a record on topic '" + topic + "'");
        }
        Schema schema = readerSchema == null ? writerSchema : readerSchema;
        checkReadable(topic, schemaId, writerSchema, schema);
        @SuppressWarnings("unchecked")
        DatumReader<T> reader = (DatumReader<T>) model.createDatumReader(writerSchema, schema);
        readersBySchemaId.putIfAbsent(schemaId, reader);
        return reader;
    }

    private static void checkReadable(String topic, int schemaId, Schema writerSchema, Schema readerSchema) {
        if (readerSchema.getType() != Schema.Type.RECORD) {
            throw new WireFormatException(Reason.INCOMPATIBLE_SCHEMA,
                    "A record on topic '" + topic + "' has writer schema id " + schemaId + " of type " + writerSchema.getType()
                            + ", but a record schema is expected");
        }
        SchemaCompatibilityResult result =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.INCOMPATIBLE) {
            String problems = result.getIncompatibilities().stream()
                    .map(problem -> problem.getType() + " at " + problem.getLocation() + " (" + problem.getMessage() + ")")
                    .collect(Collectors.joining("; "));
            throw new WireFormatException(Reason.INCOMPATIBLE_SCHEMA,
                    "A record on topic '" + topic + "' written with schema id " + schemaId + " (" + writerSchema.getFullName()
                            + ") cannot be read as " + readerSchema.getFullName() + ": " + problems);
        }
    }
}
