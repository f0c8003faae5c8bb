package org.fgclip2.topology;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The record a stream thread is working on, in the logging context (SLF4J's MDC): every line logged meanwhile says
 * which image or label, which Kafka Streams task, and which trace ({@link TraceParent}) it is about, as fields of a
 * JSON log line ({@code log.format=json}). The batcher works on images of several tasks in one punctuation, so the
 * context is set per image, and closing restores what was set before.
 */
final class RecordLogContext implements AutoCloseable {

    static final String TASK = "task";
    static final String IMAGE_ID = "image_id";
    static final String LABEL_ID = "label_id";
    static final String TRACE_ID = "trace_id";

    private final Map<String, String> previous = new HashMap<>();

    private RecordLogContext() {
    }

    /** @param imageId the event's id, or its record key while the event is not decoded; may be null */
    static RecordLogContext image(String task, ConsumedRecord source, String imageId) {
        return new RecordLogContext().put(TASK, task).put(IMAGE_ID, imageId)
                .put(TRACE_ID, TraceParent.traceId(source.headers()));
    }

    static RecordLogContext label(String task, ConsumedRecord source, String labelId) {
        return new RecordLogContext().put(TASK, task).put(LABEL_ID, labelId)
                .put(TRACE_ID, TraceParent.traceId(source.headers()));
    }

    /** Only the task: work of a task that is about no single record. */
    static RecordLogContext task(String task) {
        return new RecordLogContext().put(TASK, task);
    }

    private RecordLogContext put(String key, String value) {
        previous.put(key, MDC.get(key));
        set(key, value);
        return this;
    }

    @Override
    public void close() {
        previous.forEach(RecordLogContext::set);
    }

    /** A value that is absent is removed, not set: a JSON log line then leaves its field out. */
    private static void set(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
