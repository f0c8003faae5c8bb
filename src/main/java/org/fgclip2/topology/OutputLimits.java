package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The largest record the application may publish to each of its output topics: the smaller of the producer's
 * {@code max.request.size} and the topic's {@code max.message.bytes}, learned at start, less room for Kafka's own
 * framing. An output that would not fit is never handed to the producer — under exactly-once a refused record
 * aborts the whole transaction, and the retry would meet the same record again.
 *
 * @param recordBytes per topic, the most bytes a record may take in a batch (key, value, headers and framing)
 * @param otherTopics the limit of a topic not in the map
 */
public record OutputLimits(Map<String, Integer> recordBytes, int otherTopics) {

    /** Kafka's default for the producer's {@code max.request.size} (the broker's max.message.bytes is a bit more). */
    public static final int KAFKA_DEFAULT = 1_048_576;
    /**
     * A record batch's header (61 bytes), the record's own varints and our source header, with room to spare, and
     * the input headers an output carries.
     */
    static final int FRAMING_BYTES = 512 + OutputHeaders.MAX_CARRIED_BYTES;

    public OutputLimits {
        recordBytes = Map.copyOf(recordBytes);
    }

    /** The most bytes key and value together may take on {@code topic}. */
    int payloadBytes(String topic) {
        return recordBytes.getOrDefault(topic, otherTopics) - FRAMING_BYTES;
    }

    boolean fits(String topic, String key, byte[] value) {
        return size(key, value) <= payloadBytes(topic);
    }

    /** Null when the record fits {@code topic}, else why not, naming {@code what} it is. */
    String problem(String topic, String key, byte[] value, String what) {
        if (fits(topic, key, value)) {
            return null;
        }
        return what + " would be " + size(key, value) + " bytes, above the " + payloadBytes(topic)
                + " bytes a record on topic '" + topic
                + "' may take (the smaller of the producer's max.request.size and the topic's max.message.bytes,"
                + " less framing)";
    }

    private static long size(String key, byte[] value) {
        return (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length) + (value == null ? 0 : value.length);
    }
}
