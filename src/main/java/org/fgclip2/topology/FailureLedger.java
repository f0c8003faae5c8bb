package org.fgclip2.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.fgclip2.avro.Stage;
import org.fgclip2.topology.SourceHeader.Coordinates;
import org.fgclip2.serialization.WireFormatException;

/**
 * Which consumed records made a stream thread fail, kept by the instance across thread replacements. Kafka Streams
 * answers a failed thread by aborting its transaction and reading the same records again; without this ledger a
 * record that fails every time would stop its partition for good. A record that failed here once is dead-lettered
 * the next time it comes (with the failure as reason) instead of being processed; an image that was merely in a
 * batch that failed is a suspect and runs alone, so only the culprit is dead-lettered.
 *
 * <p>Failures of the environment (a registry or broker that cannot be reached) are not a record's fault and are not
 * recorded. The ledger lives in memory and holds the latest {@value #CAPACITY} records: a process restart starts
 * afresh, which costs one more failure per poisonous record. Thread-safe.
 */
public final class FailureLedger {

    static final int CAPACITY = 10_000;

    /** Why a record failed, and at which stage. */
    record Failure(Stage stage, String reason, boolean conclusive) {
    }

    private final Map<Coordinates, Failure> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Coordinates, Failure> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The record alone made its thread fail: the next time it comes, it is dead-lettered. */
    public synchronized void failed(String topic, int partition, long offset, Stage stage, String reason) {
        failures.put(new Coordinates(topic, partition, offset), new Failure(stage, reason, true));
    }

    /** The record was in a batch that made its thread fail: next time it runs alone. */
    synchronized void suspect(ConsumedRecord record, Stage stage, String reason) {
        failures.putIfAbsent(record.coordinates(), new Failure(stage, reason, false));
    }

    /** The failure that makes this record a dead letter, or null when it should be processed. */
    synchronized Failure verdict(ConsumedRecord record) {
        Failure f = failures.get(record.coordinates());
        return f != null && f.conclusive() ? f : null;
    }

    synchronized boolean isSuspect(ConsumedRecord record) {
        return failures.containsKey(record.coordinates());
    }

    /** The record was dealt with (labelled or dead-lettered). */
    synchronized void forget(ConsumedRecord record) {
        failures.remove(record.coordinates());
    }

    /**
     * Whether a failure is the environment's rather than a record's: Kafka's own exceptions (a fenced producer, a
     * migrated task, a broker that cannot be reached are how Kafka Streams recovers) and a schema registry that
     * cannot be reached. Such a failure fails the thread without blaming the record, and the record is processed
     * again once the environment is back.
     */
    static boolean isEnvironmental(Throwable t) {
        if (t instanceof WireFormatException w) {
            return w.reason() == WireFormatException.Reason.REGISTRY_UNAVAILABLE
                    || w.reason() == WireFormatException.Reason.REGISTRY_ERROR;
        }
        return t instanceof KafkaException;
    }
}
