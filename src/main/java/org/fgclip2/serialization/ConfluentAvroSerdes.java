package org.fgclip2.serialization;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.fgclip2.serialization.registry.RestSchemaRegistryClient;
import org.fgclip2.serialization.registry.SchemaRegistryClient;

/**
 * Makes Confluent-format Avro {@link Serde}s that share one registry client, and so its caches.
 *
 * <pre>{@code
 * ConfluentAvroSerdes avro = ConfluentAvroSerdes.connect(AvroSerdeConfig.forRegistry("http://registry:8081"));
 * Serde<ImageLabels> labels = avro.specific(ImageLabels.class, false);
 * }</pre>
 */
public final class ConfluentAvroSerdes {

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final SubjectNameStrategy subjectNameStrategy;

    public ConfluentAvroSerdes(SchemaRegistryClient registry, boolean autoRegister, SubjectNameStrategy subjectNameStrategy) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.subjectNameStrategy = subjectNameStrategy;
    }

    /** Serdes over the given client with the defaults: auto-registration, {@link SubjectNameStrategy#TOPIC_NAME}. */
    public ConfluentAvroSerdes(SchemaRegistryClient registry) {
        this(registry, true, SubjectNameStrategy.TOPIC_NAME);
    }

    /** Serdes over a REST client for the configured registry. */
    public static ConfluentAvroSerdes connect(AvroSerdeConfig config) {
        return new ConfluentAvroSerdes(
                new RestSchemaRegistryClient(config.registry()), config.autoRegister(), config.subjectNameStrategy());
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    /** A serde for a generated class. */
    public <T extends SpecificRecord> Serde<T> specific(Class<T> type, boolean isKey) {
        return Serdes.serdeFrom(serializer(isKey), ConfluentAvroDeserializer.specific(registry, type));
    }

    /** A serde for generic records, read with the schema they were written with. */
    public Serde<GenericRecord> generic(boolean isKey) {
        return Serdes.serdeFrom(serializer(isKey), ConfluentAvroDeserializer.generic(registry));
    }

    /** A serde for generic records, read resolved to {@code readerSchema}. */
    public Serde<GenericRecord> generic(Schema readerSchema, boolean isKey) {
        return Serdes.serdeFrom(serializer(isKey), ConfluentAvroDeserializer.generic(registry, readerSchema));
    }

    private <T extends IndexedRecord> ConfluentAvroSerializer<T> serializer(boolean isKey) {
        return new ConfluentAvroSerializer<>(registry, autoRegister, subjectNameStrategy, isKey);
    }
}
