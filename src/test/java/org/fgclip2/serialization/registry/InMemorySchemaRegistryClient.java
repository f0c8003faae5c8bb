package org.fgclip2.serialization.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * A schema registry held in this process, for tests with {@code TopologyTestDriver} and the like. It behaves
 * like a Confluent registry with compatibility {@code NONE}: ids are registry-wide and start at 1, an identical
 * schema gets the same id under every subject, and each subject keeps its versions in order.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        OptionalInt existing = idOf(subject, schema);
        if (existing.isPresent()) {
            return existing.getAsInt();
        }
        int id = idsBySchema.computeIfAbsent(schema, newSchema -> {
            schemasById.add(newSchema);
            return schemasById.size();
        });
        versionsBySubject.computeIfAbsent(subject, newSubject -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized OptionalInt idOf(String subject, Schema schema) {
        Integer id = idsBySchema.get(schema);
        if (id == null || !versionsBySubject.getOrDefault(subject, List.of()).contains(id)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(id);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw new SchemaRegistryException(
                    "No schema with id " + id + " in the in-memory registry", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schemasById.get(id - 1);
    }

    @Override
    public synchronized Optional<RegisteredSchema> latest(String subject) {
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        int id = versions.get(versions.size() - 1);
        return Optional.of(new RegisteredSchema(subject, versions.size(), id, schemasById.get(id - 1)));
    }

    /** The subjects registered so far. */
    public synchronized List<String> subjects() {
        return versionsBySubject.keySet().stream().sorted().toList();
    }
}
