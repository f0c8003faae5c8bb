package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.Stage;

/**
 * Embeds label definitions with the text tower, once per (prompts, model): a definition whose prompts, box
 * prompt, walk, set, threshold, action and review margin are already in the caption store for this model is not embedded again, so
 * changing one label re-embeds only that label. A null value deletes the label everywhere.
 *
 * <p>A definition to embed is recorded in the changelogged pending-labels store and queued on the stream thread's
 * {@link ThreadBatcher}, which embeds it a few prompts at a time within the same time budget as the image batches:
 * a large definition never stalls the images of its thread, nor its transaction. A newer definition of a label, or
 * its deletion, replaces the one still queued.
 */
final class LabelEmbeddingProcessor extends BatchedProcessor {

    static final String CAPTIONS_SINK = "caption-embeddings-sink";
    static final String DEAD_LETTERS_SINK = "label-dead-letters-sink";

    private final LabelLimits labelLimits;
    private final String modelId;

    /** @param modelId the model whose embeddings in the caption store need not be made again */
    LabelEmbeddingProcessor(RecordIntake intake, LabelLimits labelLimits, String modelId) {
        super(intake, LabelingTopology.PENDING_LABELS_STORE);
        this.labelLimits = labelLimits;
        this.modelId = modelId;
    }

    @Override
    void requeuePending() {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            it.forEachRemaining(entries::add);
        }
        for (KeyValue<String, byte[]> kv : entries) {
            accept(kv.key, PendingRecord.fromBytes(kv.value).source());
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        restoreOnce();
        flush();
        ConsumedRecord source = ConsumedRecord.of(context.recordMetadata().orElseThrow(), record);
        String key = source.key() == null ? null : new String(source.key(), StandardCharsets.UTF_8);
        try (var log = RecordLogContext.label(task(), source, key)) {
            if (key != null) {
                batcher.cancelLabel(this, key);
                pending.delete(key);
            }
            if (source.value() == null) {
                if (key != null) {
                    context.forward(new Record<String, byte[]>(key, null, record.timestamp(),
                            OutputHeaders.of(source)), CAPTIONS_SINK);
                }
                return;
            }
            accept(key, source);
        } catch (RuntimeException | Error e) {
            blame(source, Stage.DESERIALIZE, e);
            throw e;
        }
    }

    /** Checks a definition and queues it for embedding, or dead-letters it. */
    private void accept(String key, ConsumedRecord source) {
        FailureLedger.Failure failed = intake.ledger().verdict(source);
        if (failed != null) {
            reject(source, key, failed.stage(), "skipped after it failed before: " + failed.reason());
            return;
        }
        LabelDefinition definition;
        try {
            definition = intake.codecs().readLabelDefinition(source.value());
        } catch (RuntimeException e) {
            if (FailureLedger.isEnvironmental(e)) {
                throw e;
            }
            reject(source, key, Stage.DESERIALIZE, DeadLetters.reason(e));
            return;
        }
        String problem = LabelDefinitions.problem(key, definition, labelLimits);
        if (problem != null) {
            reject(source, key, Stage.DESERIALIZE, problem);
            return;
        }
        String setProblem = LabelDefinitions.setProblem(definition,
                batcher.labelSets().prompts(definition.getLabelSet(), captions), labelLimits,
                intake.limits().payloadBytes(intake.codecs().topics().imageLabels()) / 2);
        if (setProblem != null) {
            reject(source, key, Stage.LABELS, setProblem);
            return;
        }
        if (alreadyEmbedded(definition)) {
            return;
        }
        pending.put(key, new PendingRecord(source, context.currentSystemTimeMs()).toBytes());
        batcher.submit(new LabelJob(this, key, source, definition));
    }

    private boolean alreadyEmbedded(LabelDefinition d) {
        byte[] stored = captions.get(d.getLabelId());
        if (stored == null) {
            return false;
        }
        CaptionEmbeddings e;
        try {
            e = intake.codecs().readCaptionEmbeddings(stored);
        } catch (RuntimeException ex) {
            return false;
        }
        String hash = CaptionEmbedder.promptsHash(d.getPrompts(), CaptionEmbedder.boxPromptOf(d), d.getLong$());
        return e.getModelId().equals(modelId) && e.getPromptsHash().equals(hash)
                && e.getLabelSet().equals(d.getLabelSet()) && Objects.equals(e.getThreshold(), d.getThreshold())
                && Objects.equals(e.getAction(), d.getAction()) && Objects.equals(e.getReviewMargin(), d.getReviewMargin());
    }

    private void reject(ConsumedRecord source, String key, Stage stage, String reason) {
        reject(source, DEAD_LETTERS_SINK, stage, reason, key, null, null);
    }
}
