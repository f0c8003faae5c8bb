package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of every output about an input record: the input's own headers (W3C {@code traceparent},
 * {@code tracestate}, {@code baggage} and whatever else the producer set), in their order, then the
 * {@link SourceHeader}. Outputs are forwarded from punctuations, where Kafka Streams has no input record whose
 * headers it could pass on, so the topology carries them itself, through the pending stores.
 *
 * <p>An input's {@code fgclip2.source} (from an upstream instance of this application) is not carried: an output's
 * source is the record it was made from, and the {@link PublishFailureHandler} must find ours. The headers carried
 * are bounded so that an output still fits its topic whatever an input carries; a header that would take them over
 * {@link #MAX_CARRIED_BYTES} is left out, the smaller ones after it are still carried.
 */
final class OutputHeaders {

    /**
     * Room for a W3C trace context with a full {@code baggage} (at most 8192 bytes) and a few more headers; part of
     * {@link OutputLimits#FRAMING_BYTES}.
     */
    static final int MAX_CARRIED_BYTES = 12 * 1024;
    /** A header's own framing in a record batch: two varint lengths, at most 5 bytes each. */
    private static final int PER_HEADER_BYTES = 10;

    private OutputHeaders() {
    }

    /** What of an input's headers its outputs will carry. */
    static List<Header> carried(Headers input) {
        if (input == null) {
            return List.of();
        }
        List<Header> kept = new ArrayList<>();
        int bytes = 0;
        for (Header h : input) {
            if (h.key().equals(SourceHeader.NAME)) {
                continue;
            }
            int size = size(h);
            if (bytes + size <= MAX_CARRIED_BYTES) {
                kept.add(new RecordHeader(h.key(), h.value() == null ? null : h.value().clone()));
                bytes += size;
            }
        }
        return List.copyOf(kept);
    }

    /** The headers of one output record about {@code source}: a fresh copy, since a sink may add to them. */
    static Headers of(ConsumedRecord source) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : source.headers()) {
            headers.add(h.key(), h.value());
        }
        headers.add(SourceHeader.of(source));
        return headers;
    }

    /** Bytes a header takes of {@link #MAX_CARRIED_BYTES}. */
    static int size(Header h) {
        return h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length)
                + PER_HEADER_BYTES;
    }
}
