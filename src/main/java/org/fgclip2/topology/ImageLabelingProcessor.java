package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.Stage;

/**
 * One task's side of image labelling. An event is decoded, recorded in the changelogged pending store (so a crash
 * between poll and inference loses nothing: the store is restored and its images re-queued), and handed to the
 * stream thread's {@link ThreadBatcher}. When the batcher completes it, this task forwards the outputs and deletes
 * the pending entry — both in the task's transaction under exactly-once, together with the consumed offsets.
 */
final class ImageLabelingProcessor implements Processor<byte[], byte[], String, byte[]>, BatchOwner {

    static final String LABELS_SINK = "image-labels-sink";
    static final String HEATMAPS_SINK = "region-heatmaps-sink";
    static final String DEAD_LETTERS_SINK = "image-dead-letters-sink";

    private final LabelingServices services;
    private final Map<Thread, ThreadBatcher> batchers;
    private final ArrayDeque<Completion> completed = new ArrayDeque<>();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<String, byte[]> recent;
    private ReadOnlyKeyValueStore<String, byte[]> captions;
    private ThreadBatcher batcher;
    private boolean restored;
    private String pendingChangelog;
    private String recentChangelog;

    ImageLabelingProcessor(LabelingServices services, Map<Thread, ThreadBatcher> batchers) {
        this.services = services;
        this.batchers = batchers;
    }

    /**
     * Kafka Streams may close and re-initialise the same processor instance (task revival after an aborted
     * transaction restores the stores from the changelog): everything kept from a previous life is dropped here.
     */
    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.restored = false;
        this.completed.clear();
        this.pending = context.getStateStore(LabelingTopology.PENDING_STORE);
        this.recent = context.getStateStore(LabelingTopology.RECENT_LABELS_STORE);
        this.captions = context.getStateStore(LabelingTopology.CAPTION_STORE);
        this.pendingChangelog = LabelingTopology.changelog(context.applicationId(), LabelingTopology.PENDING_STORE);
        this.recentChangelog = LabelingTopology.changelog(context.applicationId(), LabelingTopology.RECENT_LABELS_STORE);
        this.batcher = batchers.computeIfAbsent(Thread.currentThread(), t -> new ThreadBatcher(services));
        batcher.register(this);
        context.schedule(services.settings.batch().tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    /**
     * Images a previous owner of this partition accepted but did not finish, restored from the changelog. Done on
     * the first process or punctuation rather than in init, where nothing may be forwarded.
     */
    private void requeuePending() {
        restored = true;
        List<PendingRecord> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                entries.add(PendingRecord.fromBytes(kv.value));
            }
        }
        for (PendingRecord p : entries) {
            accept(p, decode(p));
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (!restored) {
            requeuePending();
        }
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        PendingRecord p = new PendingRecord(ConsumedRecord.of(meta, record), context.currentSystemTimeMs());
        try {
            ImageEvent event = decode(p);
            if (event != null) {
                pending.put(p.storeKey(), p.toBytes());
                accept(p, event);
            }
        } catch (RuntimeException | Error e) {
            if (!FailureLedger.isEnvironmental(e)) {
                services.ledger.failed(p.source().topic(), p.source().partition(), p.source().offset(),
                        Stage.DESERIALIZE, "processing this event failed the stream thread: " + DeadLetters.reason(e));
            }
            throw e;
        }
        flush();
    }

    /** The event, or null when it was dead-lettered. */
    private ImageEvent decode(PendingRecord p) {
        ConsumedRecord source = p.source();
        String key = source.key() == null ? null : new String(source.key(), StandardCharsets.UTF_8);
        FailureLedger.Failure failed = services.ledger.verdict(source);
        if (failed != null) {
            reject(p, failed.stage(), "skipped after it failed before: " + failed.reason(), key, null);
            return null;
        }
        ImageEvent event;
        try {
            event = services.imageEvents.deserialize(source.topic(), source.value());
        } catch (RuntimeException e) {
            if (FailureLedger.isEnvironmental(e)) {
                throw e;
            }
            reject(p, Stage.DESERIALIZE, DeadLetters.reason(e), key, null);
            return null;
        }
        if (event == null) {
            reject(p, Stage.DESERIALIZE, "null value: an image event needs at least id and uri", key, null);
            return null;
        }
        ImageEvents.Problem problem = ImageEvents.check(event, services.settings.batch().maxPatchesPerImage());
        if (problem != null) {
            reject(p, problem.stage(), problem.reason(), ImageEvents.usableId(event) ? event.getId() : key,
                    event.getUri());
            return null;
        }
        String tooLarge = services.limits.problem(pendingChangelog, p.storeKey(), p.toBytes(), "the event as kept"
                + " in the pending store");
        if (tooLarge != null) {
            reject(p, Stage.DESERIALIZE, tooLarge, event.getId(), event.getUri());
            return null;
        }
        return event;
    }

    private void accept(PendingRecord p, ImageEvent event) {
        if (event == null) {
            pending.delete(p.storeKey());
            return;
        }
        batcher.submit(new WaitingImage(this, p, event, services.prepare(event)));
    }

    private void reject(PendingRecord p, Stage stage, String reason, String imageId, String uri) {
        services.metrics.deadLetter(stage);
        services.ledger.forget(p.source());
        Output letter = services.deadLetters.output(DEAD_LETTERS_SINK, p.source(), stage, reason, imageId, imageId, uri,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        context.forward(new Record<>(letter.key(), letter.value(), p.timestamp(), SourceHeader.of(p.source())),
                DEAD_LETTERS_SINK);
    }

    private void tick(long nowMillis) {
        if (!restored) {
            requeuePending();
        }
        flush();
        if (batcher.runsBatches(this)) {
            batcher.runDue(nowMillis, captions);
            flush();
        }
    }

    /** Called by the thread's batcher, possibly while another task of the thread is being processed. */
    @Override
    public void complete(Completion completion) {
        completed.add(completion);
    }

    private void flush() {
        Completion c;
        while ((c = completed.poll()) != null) {
            for (Output o : c.outputs()) {
                context.forward(new Record<>(o.key(), o.value(), c.source().timestamp(), SourceHeader.of(c.source())),
                        o.sink());
                if (o.sink().equals(LABELS_SINK) && services.settings.recentResults() > 0
                        && services.limits.problem(recentChangelog, o.key(), o.value(), "") == null) {
                    recent.put(o.key(), o.value());
                }
            }
            pending.delete(c.pendingKey());
        }
    }

    @Override
    public void close() {
        completed.clear();
        if (batcher != null && batcher.unregister(this)) {
            batchers.remove(Thread.currentThread(), batcher);
        }
        batcher = null;
    }
}
