package org.fgclip2.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelScore;
import org.fgclip2.avro.Stage;
import org.fgclip2.inference.DenseMap;
import org.fgclip2.inference.ImageBatchEncoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a forward's image embeddings into each image's outputs: its labels scored against its label set, the
 * heatmaps of the labels that get one, or the dead letter that says why not.
 */
final class BatchResults {
    private static final Logger LOG = LoggerFactory.getLogger(BatchResults.class);

    /** One image of the batch as scored: what it is about to publish. */
    private record Scored(WaitingImage image, LabelMatrix matrix, List<LabelMatrix.Score> scores,
                          List<LabelMatrix.Score> heatmapLabels) {
    }

    private final LabelingServices services;
    private final LabelSets labelSets;

    BatchResults(LabelingServices services, LabelSets labelSets) {
        this.services = services;
        this.labelSets = labelSets;
    }

    /** Hands every image of the batch its completion. */
    void complete(List<WaitingImage> batch, ImageBatchEncoding encoding,
                  ReadOnlyKeyValueStore<String, byte[]> captions, Instant now) {
        List<Scored> scored = new ArrayList<>(batch.size());
        List<Integer> needDense = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            WaitingImage w = batch.get(i);
            LabelMatrix matrix = labelSets.get(w.event().getLabelSet(), captions);
            if (matrix.labels().isEmpty()) {
                scored.add(new Scored(w, matrix, List.of(), List.of()));
                continue;
            }
            services.metrics.labelSetVersion(matrix.labelSet(), matrix.version());
            List<LabelMatrix.Score> scores = matrix.score(encoding.embeddings()[i], services.model.scoring());
            List<LabelMatrix.Score> heat = heatmapLabels(w, scores);
            if (!heat.isEmpty()) {
                needDense.add(i);
            }
            scored.add(new Scored(w, matrix, scores, heat));
        }
        List<DenseMap> dense;
        String denseFailure = null;
        try {
            dense = encoding.denseMaps(needDense.stream().mapToInt(Integer::intValue).toArray());
        } catch (RuntimeException e) {
            LOG.warn("dense head failed for {} images; publishing their labels without heatmaps: {}", needDense.size(),
                    e.toString());
            dense = List.of();
            denseFailure = DeadLetters.reason(e);
        }
        for (int i = 0; i < batch.size(); i++) {
            Scored s = scored.get(i);
            int denseIndex = needDense.indexOf(i);
            DenseMap map = denseIndex < 0 || denseFailure != null ? null : dense.get(denseIndex);
            Completion completion = s.matrix().labels().isEmpty() ? noLabels(s.image(), now)
                    : outputs(s, map, denseFailure, now);
            s.image().owner().complete(completion);
        }
    }

    private Completion noLabels(WaitingImage w, Instant now) {
        String set = w.event().getLabelSet();
        return deadLetter(w, Stage.LABELS, "label set '" + set + "' has no labels: load it (labels load) or fix the"
                + " event's labelSet; known sets: " + labelSets.names(), now);
    }

    private List<LabelMatrix.Score> heatmapLabels(WaitingImage w, List<LabelMatrix.Score> scores) {
        int max = services.settings.maxHeatmapsPerImage();
        List<LabelMatrix.Score> out = new ArrayList<>();
        for (LabelMatrix.Score s : scores) {
            if (out.size() == max) {
                break;
            }
            if (w.event().getHeatmaps() || (services.settings.heatmapsForPositive() && s.positive())) {
                out.add(s);
            }
        }
        return out;
    }

    private Completion outputs(Scored s, DenseMap dense, String denseFailure, Instant now) {
        var topics = services.settings.topics();
        WaitingImage w = s.image();
        List<Output> outputs = new ArrayList<>();
        PreparedImage prepared = w.prepared().join();
        String imageId = w.event().getId();
        byte[] labelBytes;
        try {
            labelBytes = services.imageLabels.serialize(topics.imageLabels(), imageLabels(w, s, prepared, now));
        } catch (RuntimeException e) {
            return deadLetter(w, Stage.PUBLISH, "cannot serialise ImageLabels: " + DeadLetters.reason(e), now);
        }
        String tooLarge = services.limits.problem(topics.imageLabels(), imageId, labelBytes,
                "ImageLabels of label set '" + s.matrix().labelSet() + "' (" + s.scores().size() + " labels)");
        if (tooLarge != null) {
            return deadLetter(w, Stage.PUBLISH, tooLarge + ": use smaller label sets, shorter prompts or fewer"
                    + " attributes, or raise the topic's max.message.bytes", now);
        }
        outputs.add(new Output(ImageLabelingProcessor.LABELS_SINK, imageId, labelBytes));
        List<LabelMatrix.Score> heatmapLabels = s.heatmapLabels();
        if (denseFailure != null && !heatmapLabels.isEmpty()) {
            outputs.add(deadLetterOutput(w, Stage.INFERENCE, "labels published, heatmaps not: dense head failed: "
                    + denseFailure, now));
            heatmapLabels = List.of();
        }
        for (LabelMatrix.Score score : heatmapLabels) {
            outputs.add(heatmap(w, s.matrix(), score, dense, prepared, now));
        }
        services.metrics.labelled(Duration.ofMillis(now.toEpochMilli() - w.pending().timestamp()));
        return new Completion(w.pending().storeKey(), w.pending().source(), outputs);
    }

    private Output heatmap(WaitingImage w, LabelMatrix matrix, LabelMatrix.Score score, DenseMap dense,
                           PreparedImage prepared, Instant now) {
        String topic = services.settings.topics().regionHeatmaps();
        String what = "heatmap for label '" + score.label().labelId() + "'";
        try {
            var heatmap = services.heatmaps.publish(w.event(), matrix.labelSet(), score, dense, prepared.preview());
            byte[] bytes = services.regionHeatmaps.serialize(topic, heatmap);
            String tooLarge = services.limits.problem(topic, w.event().getId(), bytes, "the RegionHeatmap record");
            if (tooLarge != null) {
                return deadLetterOutput(w, Stage.PUBLISH, what + " not published: " + tooLarge, now);
            }
            services.metrics.heatmap();
            return new Output(ImageLabelingProcessor.HEATMAPS_SINK, w.event().getId(), bytes);
        } catch (RuntimeException e) {
            return deadLetterOutput(w, Stage.PUBLISH, what + " not published: " + DeadLetters.reason(e), now);
        }
    }

    private ImageLabels imageLabels(WaitingImage w, Scored s, PreparedImage prepared, Instant now) {
        List<LabelScore> list = new ArrayList<>(s.scores().size());
        for (LabelMatrix.Score score : s.scores()) {
            list.add(new LabelScore(score.label().labelId(), score.score(), score.positive(), score.prompt()));
        }
        return ImageLabels.newBuilder()
                .setImageId(w.event().getId())
                .setUri(w.event().getUri())
                .setLabelSet(s.matrix().labelSet())
                .setModelId(services.model.info().id())
                .setLabelSetVersion(s.matrix().version())
                .setLabels(list)
                .setSpatialShape(List.of(prepared.patched().grid().height(), prepared.patched().grid().width()))
                .setAttributes(w.event().getAttributes())
                .setEventTimestamp(Instant.ofEpochMilli(w.pending().timestamp()))
                .setLabelledAt(now)
                .build();
    }

    /** The completion of an image that produced nothing but a dead letter. */
    Completion deadLetter(WaitingImage w, Stage stage, String reason, Instant now) {
        return new Completion(w.pending().storeKey(), w.pending().source(),
                List.of(deadLetterOutput(w, stage, reason, now)));
    }

    private Output deadLetterOutput(WaitingImage w, Stage stage, String reason, Instant now) {
        return services.deadLetters.output(ImageLabelingProcessor.DEAD_LETTERS_SINK, w.pending().source(), stage,
                reason, w.event().getId(), w.event().getId(), w.event().getUri(), now);
    }
}
