package org.fgclip2.topology;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.Stage;

/** Builds dead-letter records that carry the original bytes and where they came from, so they can be replayed. */
final class DeadLetters {
    private DeadLetters() {
    }

    static DeadLetter of(ConsumedRecord source, Stage stage, String reason, String imageId, String uri, Instant now) {
        return DeadLetter.newBuilder()
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
                .setValue(source.value() == null ? null : ByteBuffer.wrap(source.value()))
                .setStage(stage)
                .setReason(reason == null || reason.isBlank() ? "unknown error" : reason)
                .setImageId(imageId)
                .setUri(uri)
                .setFailedAt(now)
                .build();
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
