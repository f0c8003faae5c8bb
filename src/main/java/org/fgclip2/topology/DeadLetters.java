package org.fgclip2.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serializer;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dead letters of the topology: the original bytes and where they came from, so they can be replayed,
 * always small enough for the dead-letter topic. A copy of the key or value longer than the copy limit is cut,
 * and so are overlong text fields; when the letter still does not fit the topic, the copies shrink until it does.
 * A cut letter says so ({@code truncated}, and the original lengths), and topic, partition and offset still find
 * the whole record. Every letter built is counted in the dead-letter metric by its stage and logged in one line,
 * in the logging context of its record ({@link RecordLogContext}): with JSON logs, an operator finds why an image
 * failed by its id or its trace id.
 */
final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** Longest reason logged: the letter holds the whole reason, a log line needs the start of it. */
    private static final int MAX_LOGGED_CHARS = 500;

    /** Longest image id, uri and reason kept; the event's own limits are far below these for valid input. */
    static final int MAX_TEXT_CHARS = 8192;
    /** Longest record key of a dead letter (the image id, or the label definition's key). */
    static final int MAX_KEY_CHARS = 1024;

    private final Serializer<DeadLetter> serializer;
    private final String topic;
    private final int maxCopyBytes;
    private final OutputLimits limits;
    private final LabelingMetrics metrics;

    DeadLetters(Serializer<DeadLetter> serializer, String topic, int maxCopyBytes, OutputLimits limits,
                LabelingMetrics metrics) {
        this.serializer = serializer;
        this.topic = topic;
        this.maxCopyBytes = maxCopyBytes;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** The dead letter for {@code sink}, keyed by {@code key} (the image id, or the source record's key). */
    Output output(String sink, ConsumedRecord source, Stage stage, String reason, String key, String imageId,
                  String uri, Instant now) {
        String recordKey = cut(key, MAX_KEY_CHARS);
        int copyLimit = maxCopyBytes;
        for (int attempt = 0; attempt < 4; attempt++) {
            DeadLetter letter = letter(source, stage, reason, imageId, uri, now, copyLimit);
            byte[] bytes = serializer.serialize(topic, letter);
            int room = limits.payloadBytes(topic) - utf8Length(recordKey);
            if (bytes.length <= room) {
                metrics.deadLetter(stage);
                LOG.info("dead letter {} of {}:{}:{}: {}", stage, source.topic(), source.partition(), source.offset(),
                        printable(cut(reason, MAX_LOGGED_CHARS)));
                return new Output(sink, recordKey, bytes);
            }
            int copied = Math.max(length(source.key()), length(source.value()));
            copyLimit = Math.max(0, Math.min(copyLimit, copied) - (bytes.length - room) - 64);
        }
        throw new IllegalStateException("a dead letter does not fit topic '" + topic + "' even without the original"
                + " bytes: its max.message.bytes (" + (limits.payloadBytes(topic) + OutputLimits.FRAMING_BYTES)
                + ") is too small; raise it to at least 64 KiB");
    }

    private static DeadLetter letter(ConsumedRecord source, Stage stage, String reason, String imageId, String uri,
                                     Instant now, int copyLimit) {
        String why = reason == null || reason.isBlank() ? "unknown error" : reason;
        boolean truncated = length(source.key()) > copyLimit || length(source.value()) > copyLimit
                || longer(imageId, MAX_TEXT_CHARS) || longer(uri, MAX_TEXT_CHARS) || longer(why, MAX_TEXT_CHARS);
        return DeadLetter.newBuilder()
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setKey(copy(source.key(), copyLimit))
                .setValue(copy(source.value(), copyLimit))
                .setKeyLength(source.key() == null ? null : source.key().length)
                .setValueLength(source.value() == null ? null : source.value().length)
                .setStage(stage)
                .setReason(cut(why, MAX_TEXT_CHARS))
                .setImageId(cut(imageId, MAX_TEXT_CHARS))
                .setUri(cut(uri, MAX_TEXT_CHARS))
                .setFailedAt(now)
                .setTruncated(truncated)
                .build();
    }

    private static ByteBuffer copy(byte[] bytes, int limit) {
        if (bytes == null) {
            return null;
        }
        return ByteBuffer.wrap(bytes.length <= limit ? bytes : Arrays.copyOf(bytes, limit));
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static boolean longer(String text, int chars) {
        return text != null && text.length() > chars;
    }

    private static int utf8Length(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** {@code text} cut to {@code chars} characters, never inside a surrogate pair, with a mark where it was cut. */
    static String cut(String text, int chars) {
        if (text == null || text.length() <= chars) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
        return text.substring(0, end) + "…[" + (text.length() - end) + " more characters]";
    }

    /** A reason as one log line: control characters (line breaks of a crafted value) would forge lines in text logs. */
    private static String printable(String text) {
        return text == null ? null : text.replaceAll("\\p{Cntrl}", " ");
    }

    /** The message of an exception and its causes, for a reason field. */
    static String reason(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 2000; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                if (!sb.isEmpty()) {
                    sb.append(": ");
                }
                sb.append(m);
            }
        }
        return sb.isEmpty() ? t.getClass().getSimpleName() : sb.toString();
    }
}
