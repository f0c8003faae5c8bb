package org.fgclip2.topology;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.ImageEmbedding;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.serialization.ConfluentAvroSerdes;

/**
 * The Avro records of the topology, each read and written for its own topic (the subject name in the registry
 * depends on it). Sources hand the processors raw bytes, so that a record that does not decode becomes a dead
 * letter instead of stopping the stream: this is where they decode it.
 */
final class RecordCodecs {

    private final TopicNames topics;
    private final Deserializer<ImageEvent> imageEvents;
    private final Deserializer<LabelDefinition> labelDefinitions;
    private final Serializer<CaptionEmbeddings> captionEmbeddingsOut;
    private final Deserializer<CaptionEmbeddings> captionEmbeddingsIn;
    private final Serializer<ImageLabels> imageLabelsOut;
    private final Deserializer<ImageLabels> imageLabelsIn;
    private final Serializer<RegionHeatmap> regionHeatmaps;
    private final Serializer<ImageEmbedding> imageEmbeddings;
    private final Deserializer<ImageEmbedding> cacheEntries;

    RecordCodecs(ConfluentAvroSerdes avro, TopicNames topics) {
        this.topics = topics;
        this.imageEvents = avro.specific(ImageEvent.class, false).deserializer();
        this.labelDefinitions = avro.specific(LabelDefinition.class, false).deserializer();
        var captions = avro.specific(CaptionEmbeddings.class, false);
        this.captionEmbeddingsOut = captions.serializer();
        this.captionEmbeddingsIn = captions.deserializer();
        var labels = avro.specific(ImageLabels.class, false);
        this.imageLabelsOut = labels.serializer();
        this.imageLabelsIn = labels.deserializer();
        this.regionHeatmaps = avro.specific(RegionHeatmap.class, false).serializer();
        var embeddings = avro.specific(ImageEmbedding.class, false);
        this.imageEmbeddings = embeddings.serializer();
        this.cacheEntries = embeddings.deserializer();
    }

    TopicNames topics() {
        return topics;
    }

    /** @param topic the topic it was read from: images may come from several */
    ImageEvent readImageEvent(String topic, byte[] value) {
        return imageEvents.deserialize(topic, value);
    }

    LabelDefinition readLabelDefinition(byte[] value) {
        return labelDefinitions.deserialize(topics.labelDefinitions(), value);
    }

    CaptionEmbeddings readCaptionEmbeddings(byte[] value) {
        return captionEmbeddingsIn.deserialize(topics.captionEmbeddings(), value);
    }

    ImageLabels readImageLabels(byte[] value) {
        return imageLabelsIn.deserialize(topics.imageLabels(), value);
    }

    byte[] write(CaptionEmbeddings embeddings) {
        return captionEmbeddingsOut.serialize(topics.captionEmbeddings(), embeddings);
    }

    byte[] write(ImageLabels labels) {
        return imageLabelsOut.serialize(topics.imageLabels(), labels);
    }

    byte[] write(RegionHeatmap heatmap) {
        return regionHeatmaps.serialize(topics.regionHeatmaps(), heatmap);
    }

    /** Only when embeddings are published ({@link TopicNames#imageEmbeddings()} is set). */
    byte[] write(ImageEmbedding embedding) {
        return imageEmbeddings.serialize(topics.imageEmbeddings(), embedding);
    }

    /** Only with an embedding cache ({@link TopicNames#embeddingCache()} is set). */
    byte[] writeCacheEntry(ImageEmbedding embedding) {
        return imageEmbeddings.serialize(topics.embeddingCache(), embedding);
    }

    ImageEmbedding readCacheEntry(byte[] value) {
        return cacheEntries.deserialize(topics.embeddingCache(), value);
    }
}
