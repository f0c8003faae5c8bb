package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.Stage;

/**
 * One task's side of image labelling. An event is decoded and checked, recorded in the pending store, and handed
 * to the stream thread's {@link ThreadBatcher}, which fetches, batches and scores it; this task then forwards the
 * outputs (see {@link BatchedProcessor}).
 */
final class ImageLabelingProcessor extends BatchedProcessor {

    static final String LABELS_SINK = "image-labels-sink";
    static final String HEATMAPS_SINK = "region-heatmaps-sink";
    static final String DEAD_LETTERS_SINK = "image-dead-letters-sink";
    static final String EMBEDDINGS_SINK = "image-embeddings-sink";
    static final String EMBEDDING_CACHE_SINK = "embedding-cache-sink";

    private final int maxPatchesPerImage;
    private final boolean keepsRecent;
    /** Null without re-labelling. */
    private final BiFunction<KeyValueStore<String, byte[]>, String, Relabeler> relabelers;
    private Relabeler relabeler;
    private KeyValueStore<String, byte[]> recent;
    private String pendingChangelog;
    private String recentChangelog;

    /**
     * @param keepsRecent whether the latest labels of each image are kept for queries
     * @param relabelers makes the task's re-labeller from its retained-images store and the name of the store's
     *     changelog; null without re-labelling
     */
    ImageLabelingProcessor(RecordIntake intake, int maxPatchesPerImage, boolean keepsRecent,
                           BiFunction<KeyValueStore<String, byte[]>, String, Relabeler> relabelers) {
        super(intake, LabelingTopology.PENDING_STORE);
        this.maxPatchesPerImage = maxPatchesPerImage;
        this.keepsRecent = keepsRecent;
        this.relabelers = relabelers;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        this.recent = context.getStateStore(LabelingTopology.RECENT_LABELS_STORE);
        this.pendingChangelog = LabelingTopology.changelog(context.applicationId(), LabelingTopology.PENDING_STORE);
        this.recentChangelog = LabelingTopology.changelog(context.applicationId(), LabelingTopology.RECENT_LABELS_STORE);
        this.relabeler = relabelers == null ? null : relabelers.apply(
                context.getStateStore(LabelingTopology.RETAINED_IMAGES_STORE),
                LabelingTopology.changelog(context.applicationId(), LabelingTopology.RETAINED_IMAGES_STORE));
    }

    /** Why an event is refused, as its dead letter will say. */
    private record Refusal(Stage stage, String reason, String key, String uri) {
    }

    /** An event that can be labelled, or why not. */
    private record Checked(ImageEvent event, Refusal refusal) {
    }

    /** A restored backlog is only queued by key: each image is read back and checked when it is its turn. */
    @Override
    void requeuePending() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(key -> batcher.defer(this, key));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        restoreOnce();
        PendingRecord p = new PendingRecord(ConsumedRecord.of(context.recordMetadata().orElseThrow(), record),
                context.currentSystemTimeMs());
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        try (var log = RecordLogContext.image(task(), p.source(), key)) {
            byte[] stored = p.toBytes();
            Checked checked = check(p, stored);
            if (checked.refusal() != null) {
                Refusal r = checked.refusal();
                reject(p.source(), DEAD_LETTERS_SINK, r.stage(), r.reason(), r.key(), r.key(), r.uri());
            } else {
                pending.put(p.storeKey(), stored);
                batcher.submit(this, p, checked.event());
            }
        } catch (RuntimeException | Error e) {
            blame(p.source(), Stage.DESERIALIZE, e);
            throw e;
        }
        flush();
    }

    /** A deferred image read back from the pending store and checked again, ready to start. */
    record Accepted(PendingRecord pending, ImageEvent event) {
    }

    /**
     * A deferred image, when the batcher has room for it: null when it is gone or refused (its dead letter then
     * waits for this task's next flush, since the batcher may be running in another task's punctuation).
     */
    Accepted start(String pendingKey) {
        byte[] stored = pending.get(pendingKey);
        if (stored == null) {
            return null;
        }
        PendingRecord p = PendingRecord.fromBytes(stored);
        Checked checked = check(p, stored);
        Refusal r = checked.refusal();
        if (r != null) {
            try (var log = RecordLogContext.image(task(), p.source(), r.key())) {
                complete(new Completion(pendingKey, p.source(), List.of(intake.deadLetters().output(DEAD_LETTERS_SINK,
                        p.source(), r.stage(), r.reason(), r.key(), r.key(), r.uri(),
                        Instant.ofEpochMilli(context.currentSystemTimeMs())))));
            }
            return null;
        }
        return new Accepted(p, checked.event());
    }

    /** @param stored the record as the pending store keeps it */
    private Checked check(PendingRecord p, byte[] stored) {
        ConsumedRecord source = p.source();
        String key = source.key() == null ? null : new String(source.key(), StandardCharsets.UTF_8);
        FailureLedger.Failure failed = intake.ledger().verdict(source);
        if (failed != null) {
            return refused(failed.stage(), "skipped after it failed before: " + failed.reason(), key, null);
        }
        ImageEvent event;
        try {
            event = intake.codecs().readImageEvent(source.topic(), source.value());
        } catch (RuntimeException e) {
            if (FailureLedger.isEnvironmental(e)) {
                throw e;
            }
            return refused(Stage.DESERIALIZE, DeadLetters.reason(e), key, null);
        }
        if (event == null) {
            return refused(Stage.DESERIALIZE, "null value: an image event needs at least id and uri", key, null);
        }
        ImageEvents.Problem problem = ImageEvents.check(event, maxPatchesPerImage);
        if (problem != null) {
            return refused(problem.stage(), problem.reason(), ImageEvents.usableId(event) ? event.getId() : key,
                    event.getUri());
        }
        String tooLarge = intake.limits().problem(pendingChangelog, p.storeKey(), stored, "the event as kept"
                + " in the pending store");
        if (tooLarge != null) {
            return refused(Stage.DESERIALIZE, tooLarge, event.getId(), event.getUri());
        }
        return new Checked(event, null);
    }

    private static Checked refused(Stage stage, String reason, String key, String uri) {
        return new Checked(null, new Refusal(stage, reason, key, uri));
    }

    @Override
    void retain(RetainedImages.Addition addition) {
        if (relabeler != null) {
            relabeler.retain(addition);
        }
    }

    /** Re-labels retained images whose label set changed, within what is left of the thread's budget. */
    @Override
    void punctuated(long nowMillis) {
        if (relabeler == null) {
            return;
        }
        long t0 = System.nanoTime();
        relabeler.step(nowMillis, batcher.relabelAllowanceNanos(), batcher.labelSets(), captions, o -> {
            context.forward(new Record<>(o.key(), o.value(), nowMillis), o.sink());
            forwarded(o);
        });
        batcher.relabelled(System.nanoTime() - t0);
    }

    /** The latest labels of an image, for queries; only what its changelog can take. */
    @Override
    void forwarded(Output o) {
        if (o.sink().equals(LABELS_SINK) && keepsRecent
                && intake.limits().fits(recentChangelog, o.key(), o.value())) {
            recent.put(o.key(), o.value());
        }
    }
}
