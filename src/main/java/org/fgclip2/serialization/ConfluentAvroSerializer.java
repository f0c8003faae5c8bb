package org.fgclip2.serialization;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.fgclip2.serialization.WireFormatException.Reason;
import org.fgclip2.serialization.registry.SchemaRegistryClient;
import org.fgclip2.serialization.registry.SchemaRegistryException;

/**
 * Writes Avro records (generated {@link SpecificRecord} classes or {@code GenericRecord}s) in the Confluent wire
 * format: magic byte 0, the 4-byte big-endian id of the record's schema in the registry, the Avro binary
 * encoding. A {@code null} record stays {@code null} (a tombstone). Thread-safe: Kafka Streams shares one
 * instance between its threads.
 *
 * <p>Failures are {@link WireFormatException}s. Instances are fully set up by their constructor; Kafka's
 * {@code configure(Map, boolean)} is not needed and changes nothing.
 */
public final class ConfluentAvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final SubjectNameStrategy subjectNameStrategy;
    private final boolean isKey;
    private final Map<Schema, DatumWriter<T>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<T>> genericWriters = new ConcurrentHashMap<>();

    /**
     * @param autoRegister register a schema the subject does not have yet; when false such a record fails with
     *     {@link Reason#SCHEMA_NOT_REGISTERED}
     * @param isKey whether this serializer writes record keys (it matters for the subject name)
     */
    public ConfluentAvroSerializer(
            SchemaRegistryClient registry, boolean autoRegister, SubjectNameStrategy subjectNameStrategy, boolean isKey) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.subjectNameStrategy = subjectNameStrategy;
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        int schemaId = schemaId(topic, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(WireFormat.header(schemaId));
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(record).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(Reason.AVRO_ENCODE_FAILED,
                    "Cannot encode a record of " + schema.getFullName() + " for topic '" + topic + "' with its own schema: " + e,
                    e);
        }
        return out.toByteArray();
    }

    private int schemaId(String topic, Schema schema) {
        String subject = subjectNameStrategy.subject(topic, isKey, schema);
        try {
            if (autoRegister) {
                return registry.register(subject, schema);
            }
            return registry.idOf(subject, schema).orElseThrow(() -> new WireFormatException(Reason.SCHEMA_NOT_REGISTERED,
                    "The schema of " + schema.getFullName() + " is not registered under subject '" + subject
                            + "' (topic '" + topic + "') and auto-registration is off: register it first, or turn"
                            + " auto-registration on"));
        } catch (SchemaRegistryException e) {
            throw RegistryFailures.translate(e, Reason.SCHEMA_REJECTED,
                    "Cannot get a schema id for " + schema.getFullName() + " under subject '" + subject + "' (topic '"
                            + topic + "')");
        }
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<T> writer(T record) {
        Schema schema = record.getSchema();
        if (record instanceof SpecificRecord) {
            // the generated class's own model carries its logical-type conversions
            return specificWriters.computeIfAbsent(schema,
                    s -> (DatumWriter<T>) SpecificData.getForClass(record.getClass()).createDatumWriter(s));
        }
        return genericWriters.computeIfAbsent(schema, s -> (DatumWriter<T>) GenericData.get().createDatumWriter(s));
    }
}
