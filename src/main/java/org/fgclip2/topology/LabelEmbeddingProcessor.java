package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.Stage;

/**
 * Embeds label definitions with the text tower, once per (prompts, model): a definition whose prompts, box
 * prompt, walk, set and threshold are already in the caption store for this model is not embedded again, so
 * changing one label re-embeds only that label. A null value deletes the label everywhere.
 */
final class LabelEmbeddingProcessor implements Processor<byte[], byte[], String, byte[]> {

    static final String CAPTIONS_SINK = "caption-embeddings-sink";
    static final String DEAD_LETTERS_SINK = "label-dead-letters-sink";

    private final LabelingServices services;
    private ProcessorContext<String, byte[]> context;
    private ReadOnlyKeyValueStore<String, byte[]> captions;

    LabelEmbeddingProcessor(LabelingServices services) {
        this.services = services;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.captions = context.getStateStore(LabelingTopology.CAPTION_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            if (key != null) {
                context.forward(new Record<String, byte[]>(key, null, record.timestamp()), CAPTIONS_SINK);
            }
            return;
        }
        String topic = services.settings.topics().labelDefinitions();
        LabelDefinition definition;
        try {
            definition = services.labelDefinitions.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            reject(record, key, Stage.DESERIALIZE, DeadLetters.reason(e));
            return;
        }
        String problem = LabelDefinitions.problem(key, definition);
        if (problem != null) {
            reject(record, key, Stage.DESERIALIZE, problem);
            return;
        }
        if (alreadyEmbedded(definition)) {
            return;
        }
        CaptionEmbeddings embeddings;
        try {
            embeddings = services.embedder.embed(definition, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        } catch (RuntimeException e) {
            reject(record, key, Stage.INFERENCE, DeadLetters.reason(e));
            return;
        }
        byte[] bytes = services.captionEmbeddingsOut.serialize(services.settings.topics().captionEmbeddings(), embeddings);
        context.forward(new Record<>(key, bytes, record.timestamp()), CAPTIONS_SINK);
        services.metrics.labelEmbedded();
    }

    private boolean alreadyEmbedded(LabelDefinition d) {
        byte[] stored = captions.get(d.getLabelId());
        if (stored == null) {
            return false;
        }
        CaptionEmbeddings e;
        try {
            e = services.captionEmbeddingsIn.deserialize(services.settings.topics().captionEmbeddings(), stored);
        } catch (RuntimeException ex) {
            return false;
        }
        String hash = CaptionEmbedder.promptsHash(d.getPrompts(), CaptionEmbedder.boxPromptOf(d), d.getLong$());
        return e.getModelId().equals(services.embedder.modelId()) && e.getPromptsHash().equals(hash)
                && e.getLabelSet().equals(d.getLabelSet()) && java.util.Objects.equals(e.getThreshold(), d.getThreshold());
    }

    private void reject(Record<byte[], byte[]> record, String key, Stage stage, String reason) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        ConsumedRecord source = ConsumedRecord.of(meta, record);
        services.metrics.deadLetter(stage);
        var letter = DeadLetters.of(source, stage, reason, null, null, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        context.forward(new Record<>(key, services.deadLetters.serialize(services.settings.topics().deadLetters(), letter),
                record.timestamp()), DEAD_LETTERS_SINK);
    }
}
