package org.fgclip2.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.model.ModelPresets;
import org.fgclip2.model.RandomCheckpoint;
import org.fgclip2.serialization.AvroSerdeConfig;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;

/**
 * Producing and consuming the application's topics as a user would — Avro in the Confluent wire format through
 * the real registry — plus a tiny random checkpoint and an image folder, for end-to-end tests.
 */
public final class PipelineFixture {

    public final Path dir;
    public final Path images;
    public final Path heatmaps;
    public final Path model;
    public final String bootstrapServers;
    public final String registryUrl;
    public final KafkaTestClients clients;
    public final ConfluentAvroSerdes avro;

    public PipelineFixture(Path dir, String bootstrapServers, LocalSchemaRegistry registry) throws IOException {
        this.dir = dir;
        this.images = Files.createDirectories(dir.resolve("images"));
        this.heatmaps = dir.resolve("heatmaps");
        this.model = dir.resolve("model");
        RandomCheckpoint.write(model, ModelPresets.get("tiny"), RandomCheckpoint.Options.DEFAULT);
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registry.url().toString();
        this.clients = new KafkaTestClients(bootstrapServers);
        this.avro = ConfluentAvroSerdes.connect(AvroSerdeConfig.forRegistry(registryUrl));
    }

    /** Settings for an app instance on this broker, registry, model and folders (no HTTP port clash: port 0). */
    public Map<String, String> settings(String applicationId) {
        Map<String, String> s = new HashMap<>();
        s.put("model", model.toString());
        s.put("model.device", "cpu");
        s.put("bootstrap.servers", bootstrapServers);
        s.put("application.id", applicationId);
        s.put("schema.registry.url", registryUrl);
        s.put("state.dir", dir.resolve("state-" + applicationId).toString());
        s.put("fetch.file-root", images.toString());
        s.put("heatmaps.dir", heatmaps.toString());
        s.put("http.port", "0");
        s.put("http.host", "127.0.0.1");
        s.put("batch.max-wait", "20ms");
        s.put("topics.partitions", "3");
        s.put("kafka.commit.interval.ms", "200");
        return s;
    }

    public String writeImage(String name, byte[] content) throws IOException {
        Path file = images.resolve(name);
        Files.write(file, content);
        return file.toUri().toString();
    }

    public void defineLabels(String labelSet, Map<String, List<String>> prompts, Float threshold) {
        Serde<LabelDefinition> serde = avro.specific(LabelDefinition.class, false);
        List<KeyValue<String, LabelDefinition>> records = new ArrayList<>();
        prompts.forEach((id, p) -> records.add(KeyValue.pair(id, LabelDefinition.newBuilder().setLabelId(id)
                .setLabelSet(labelSet).setPrompts(p).setThreshold(threshold).build())));
        clients.produce("fgclip2.label-definitions", new StringSerializer(), serde.serializer(), records);
        awaitEmbedded(prompts.keySet());
    }

    /**
     * Waits until a running app has embedded these labels (their records are committed to the caption-embeddings
     * topic): images sent before would meet a label set without labels and become dead letters.
     */
    public void awaitEmbedded(Set<String> labelIds) {
        Set<String> embedded = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!embedded.containsAll(labelIds) && System.nanoTime() < deadline) {
            readRaw("fgclip2.caption-embeddings", Integer.MAX_VALUE, Duration.ofSeconds(1))
                    .forEach(r -> embedded.add(r.key()));
        }
        if (!embedded.containsAll(labelIds)) {
            throw new AssertionError("labels " + labelIds + " not embedded within 120 s; embedded: " + embedded);
        }
    }

    public void sendImages(List<ImageEvent> events) {
        Serde<ImageEvent> serde = avro.specific(ImageEvent.class, false);
        List<KeyValue<String, ImageEvent>> records = new ArrayList<>();
        for (ImageEvent e : events) {
            records.add(KeyValue.pair(e.getId(), e));
        }
        clients.produce("fgclip2.images", new StringSerializer(), serde.serializer(), records);
    }

    public void sendRaw(String key, byte[] value) {
        clients.produce("fgclip2.images", new StringSerializer(), new ByteArraySerializer(),
                List.of(KeyValue.pair(key, value)));
    }

    public static ImageEvent event(String id, String uri) {
        return ImageEvent.newBuilder().setId(id).setUri(uri).build();
    }

    /** Events {@code prefix-0} .. {@code prefix-(count-1)} of the same image. */
    public static List<ImageEvent> events(String prefix, int count, String uri) {
        List<ImageEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event(prefix + "-" + i, uri));
        }
        return events;
    }

    public List<ImageLabels> readLabels(int count, Duration timeout) {
        return values(clients.consume("fgclip2.image-labels", new StringDeserializer(),
                avro.specific(ImageLabels.class, false).deserializer(), count, timeout));
    }

    public List<RegionHeatmap> readHeatmaps(int count, Duration timeout) {
        return values(clients.consume("fgclip2.region-heatmaps", new StringDeserializer(),
                avro.specific(RegionHeatmap.class, false).deserializer(), count, timeout));
    }

    public List<DeadLetter> readDeadLetters(int count, Duration timeout) {
        return values(clients.consume("fgclip2.dead-letters", new StringDeserializer(),
                avro.specific(DeadLetter.class, false).deserializer(), count, timeout));
    }

    public List<ConsumerRecord<String, byte[]>> readRaw(String topic, int count, Duration timeout) {
        return clients.consume(topic, new StringDeserializer(), new ByteArrayDeserializer(), count, timeout);
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        List<V> out = new ArrayList<>();
        records.forEach(r -> out.add(r.value()));
        return out;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
