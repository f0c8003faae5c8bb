package org.fgclip2.serialization.registry;

import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * The part of a Confluent-style schema registry that the Avro serdes need. Implementations are thread-safe
 * and cache what they learn: ids never change meaning, so a schema fetched once is never fetched again.
 *
 * <p>Failures are {@link SchemaRegistryException}s; {@link SchemaRegistryUnavailableException} when no
 * answer could be had.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} and returns its id. Registering a schema the subject
     * already has returns the existing id and adds no version.
     *
     * @throws SchemaRegistryException with status 409 when the schema breaks the subject's compatibility rule
     */
    int register(String subject, Schema schema);

    /** The id of {@code schema} if {@code subject} has it as one of its versions. */
    OptionalInt idOf(String subject, Schema schema);

    /**
     * The schema with this id.
     *
     * @throws SchemaRegistryException whose {@link SchemaRegistryException#isSchemaNotFound()} is true when no
     *     schema has this id
     */
    Schema schemaById(int id);

    /** The newest version of {@code subject}, if the subject exists. */
    Optional<RegisteredSchema> latest(String subject);
}
