package org.fgclip2.topology;

import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A record exactly as consumed, with where it came from: what a dead letter needs to be replayed.
 *
 * @param headers the input's headers its outputs carry ({@link OutputHeaders#carried})
 */
record ConsumedRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                      List<Header> headers) {

    ConsumedRecord {
        headers = List.copyOf(headers);
    }

    static ConsumedRecord of(RecordMetadata meta, Record<byte[], byte[]> record) {
        return new ConsumedRecord(meta.topic(), meta.partition(), meta.offset(), record.timestamp(), record.key(),
                record.value(), OutputHeaders.carried(record.headers()));
    }

    /** Where it came from, without its contents. */
    SourceHeader.Coordinates coordinates() {
        return new SourceHeader.Coordinates(topic, partition, offset);
    }
}
