package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private KeyValueStore<String, byte[]> recent;
    private String pendingChangelog;
    private String recentChangelog;

    ImageLabelingProcessor(LabelingServices services, Map<Thread, ThreadBatcher> batchers) {
        super(services, batchers, LabelingTopology.PENDING_STORE);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        this.recent = context.getStateStore(LabelingTopology.RECENT_LABELS_STORE);
        this.pendingChangelog = LabelingTopology.changelog(context.applicationId(), LabelingTopology.PENDING_STORE);
        this.recentChangelog = LabelingTopology.changelog(context.applicationId(), LabelingTopology.RECENT_LABELS_STORE);
    }

    @Override
    void requeuePending() {
        List<PendingRecord> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            it.forEachRemaining(kv -> entries.add(PendingRecord.fromBytes(kv.value)));
        }
        for (PendingRecord p : entries) {
            ImageEvent event = decode(p);
            if (event == null) {
                pending.delete(p.storeKey());
            } else {
                accept(p, event);
            }
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        restoreOnce();
        PendingRecord p = new PendingRecord(ConsumedRecord.of(context.recordMetadata().orElseThrow(), record),
                context.currentSystemTimeMs());
        try {
            ImageEvent event = decode(p);
            if (event != null) {
                pending.put(p.storeKey(), p.toBytes());
                accept(p, event);
            }
        } catch (RuntimeException | Error e) {
            blame(p.source(), Stage.DESERIALIZE, e);
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
        batcher.submit(new WaitingImage(this, p, event, services.prepare(event)));
    }

    private void reject(PendingRecord p, Stage stage, String reason, String imageId, String uri) {
        reject(p.source(), DEAD_LETTERS_SINK, stage, reason, imageId, imageId, uri);
    }

    /** The latest labels of an image, for queries; only what its changelog can take. */
    @Override
    void forwarded(Output o) {
        if (o.sink().equals(LABELS_SINK) && services.settings.recentResults() > 0
                && services.limits.problem(recentChangelog, o.key(), o.value(), "") == null) {
            recent.put(o.key(), o.value());
        }
    }
}
