package org.fgclip2.serialization;

import java.util.Objects;
import org.fgclip2.serialization.registry.SchemaRegistryConfig;

/**
 * Settings of the Confluent-format Avro serdes.
 *
 * @param registry where the schema registry is and how to reach it (URLs, auth, TLS, timeouts)
 * @param autoRegister register a record's schema when the subject does not have it yet (default true); when
 *     false, serializing a record whose schema is not registered fails
 * @param subjectNameStrategy default {@link SubjectNameStrategy#TOPIC_NAME}
 */
public record AvroSerdeConfig(SchemaRegistryConfig registry, boolean autoRegister, SubjectNameStrategy subjectNameStrategy) {

    public AvroSerdeConfig {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(subjectNameStrategy, "subjectNameStrategy");
    }

    /** The defaults for a registry at these (comma-separated) URLs. */
    public static AvroSerdeConfig forRegistry(String urls) {
        return forRegistry(SchemaRegistryConfig.forUrls(urls));
    }

    /** The defaults for this registry. */
    public static AvroSerdeConfig forRegistry(SchemaRegistryConfig registry) {
        return new AvroSerdeConfig(registry, true, SubjectNameStrategy.TOPIC_NAME);
    }
}
