package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The header every output record carries last, after the input's own ({@link OutputHeaders}): the consumed record
 * it came from, as {@code topic:partition:offset}. Consumers can trace a result to its input; the
 * {@link PublishFailureHandler} uses it to blame the input whose output the broker refused.
 */
final class SourceHeader {

    static final String NAME = "fgclip2.source";

    /** Where a record came from. Kafka topic names cannot contain ':'. */
    record Coordinates(String topic, int partition, long offset) {
    }

    private SourceHeader() {
    }

    static Header of(ConsumedRecord source) {
        String value = source.topic() + ":" + source.partition() + ":" + source.offset();
        return new RecordHeader(NAME, value.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<Coordinates> read(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(NAME);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        String[] parts = new String(header.value(), StandardCharsets.UTF_8).split(":");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Coordinates(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
