package org.fgclip2.app.dev;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.fgclip2.app.localkafka.LocalKafkaClients;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelTrigger;
import org.fgclip2.avro.LabelScore;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.avro.RegionLabels;
import org.fgclip2.concurrent.DaemonThreads;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.topology.TopicNames;

/**
 * Reads the output topics like any consumer would (read_committed) and prints one line per image with its top
 * labels, one per heatmap with its file, one per dead letter with its stage and reason.
 */
final class OutputPrinter implements AutoCloseable {

    private static final int TOP = 3;

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ImageLabels> labels;
    private final Deserializer<RegionHeatmap> heatmaps;
    private final Deserializer<DeadLetter> deadLetters;
    private final TopicNames topics;
    private final PrintStream out;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    OutputPrinter(String bootstrapServers, ConfluentAvroSerdes avro, TopicNames topics, PrintStream out) {
        this.consumer = LocalKafkaClients.readCommittedConsumer(bootstrapServers, "fgclip2-dev-printer-");
        this.labels = avro.specific(ImageLabels.class, false).deserializer();
        this.heatmaps = avro.specific(RegionHeatmap.class, false).deserializer();
        this.deadLetters = avro.specific(DeadLetter.class, false).deserializer();
        this.topics = topics;
        this.out = out;
        this.thread = DaemonThreads.unstarted("fgclip2-dev-printer", this::loop);
    }

    void start() {
        consumer.subscribe(List.of(topics.imageLabels(), topics.regionHeatmaps(), topics.deadLetters()));
        thread.start();
    }

    private void loop() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    print(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void print(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.imageLabels())) {
                ImageLabels l = labels.deserialize(r.topic(), r.value());
                boolean relabelled = l.getTrigger() == LabelTrigger.LABELS_CHANGED;
                StringBuilder line = new StringBuilder(relabelled ? "relabel  " : "labels   ").append(l.getImageId())
                        .append(":");
                List<LabelScore> scores = l.getLabels();
                for (int i = 0; i < Math.min(TOP, scores.size()); i++) {
                    LabelScore s = scores.get(i);
                    line.append(String.format("  %s %.3f%s", s.getLabelId(), s.getScore(), s.getPositive() ? "*" : ""));
                }
                if (scores.isEmpty()) {
                    line.append("  (label set '").append(l.getLabelSet()).append("' is empty)");
                }
                if (l.getDecision() != null) {
                    line.append("  -> ").append(l.getDecision());
                }
                if (!l.getReviewLabels().isEmpty()) {
                    line.append(" (review: ").append(String.join(", ", l.getReviewLabels())).append(")");
                }
                out.println(line);
                for (RegionLabels region : l.getRegions()) {
                    out.println("region   " + l.getImageId() + " / " + region.getId() + ": " + (region.getError() != null
                            ? region.getError() : region.getLabels().isEmpty() ? "(no labels)"
                            : String.format("%s %.3f", region.getLabels().get(0).getLabelId(),
                                    region.getLabels().get(0).getScore())));
                }
            } else if (r.topic().equals(topics.regionHeatmaps())) {
                RegionHeatmap h = heatmaps.deserialize(r.topic(), r.value());
                out.printf("heatmap  %s / %s: %s (peak %.3f at %d,%d)%n", h.getImageId(), h.getLabelId(),
                        h.getHeatmapUri(), h.getPeakScore(), h.getPeakX(), h.getPeakY());
            } else {
                DeadLetter d = deadLetters.deserialize(r.topic(), r.value());
                out.printf("dead     %s: %s: %s%n", d.getImageId() == null ? r.key() : d.getImageId(), d.getStage(),
                        d.getReason());
            }
        } catch (RuntimeException e) {
            out.println("unreadable record on " + r.topic() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5000);
    }
}
