package org.fgclip2.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole application in one builder method.
 *
 * <pre>
 *  label-definitions ─▶ label-embedder [pending-labels store] ─▶ caption-embeddings ─▶ (global) caption store
 *                            └─▶ dead-letters                                              │ every instance holds all labels
 *  images ─▶ image-labeler [pending, retained-images, recent-labels stores] ◀──────────────┘
 *               ├─▶ image-labels
 *               ├─▶ region-heatmaps   (PNG written to the heatmap store first)
 *               └─▶ dead-letters
 * </pre>
 *
 * Sources read raw bytes and the processors deserialise, so that a record that is not what it should be becomes a
 * dead letter with its original bytes instead of stopping the stream. The pending stores are persistent (RocksDB)
 * so that Kafka Streams keeps its process id in the state directory: a restarted instance then reuses its
 * transactional ids, which aborts the transactions it left open at once instead of after their timeout.
 */
public final class LabelingTopology {

    public static final String CAPTION_STORE = "caption-embeddings-store";
    public static final String PENDING_STORE = "pending-images-store";
    public static final String PENDING_LABELS_STORE = "pending-labels-store";
    public static final String RECENT_LABELS_STORE = "recent-image-labels-store";
    public static final String EMBEDDING_CACHE_STORE = "embedding-cache-store";
    public static final String RETAINED_IMAGES_STORE = "retained-images-store";

    static final String IMAGES_SOURCE = "images-source";
    static final String IMAGE_LABELER = "image-labeler";
    static final String LABELS_SOURCE = "label-definitions-source";
    static final String LABEL_EMBEDDER = "label-embedder";
    static final String CAPTIONS_SOURCE = "caption-embeddings-source";
    static final String CAPTION_STORE_UPDATER = "caption-store-updater";
    static final String EMBEDDING_CACHE_SOURCE = "embedding-cache-source";
    static final String EMBEDDING_CACHE_UPDATER = "embedding-cache-updater";

    private LabelingTopology() {
    }

    /** The name Kafka Streams gives the changelog topic of a store. */
    static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    public static Topology build(LabelingServices services) {
        TopicNames topics = services.settings().topics();
        ThreadBatchers batchers = new ThreadBatchers(services::newBatcher);
        RecordIntake intake = services.intake(batchers);
        services.metrics().backlog(ThreadBatcher::inProgress, "fgclip2.images.in.progress",
                "images being fetched, decoded or waiting for their batch (at most batch.max-in-progress per thread)",
                batchers);
        services.metrics().backlog(ThreadBatcher::deferredCount, "fgclip2.images.deferred",
                "accepted images waiting in the pending store for their turn to start", batchers);
        Topology topology = new Topology();

        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CAPTION_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                CAPTIONS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.captionEmbeddings(), CAPTION_STORE_UPDATER,
                services::captionStoreUpdater);

        topology.addSource(LABELS_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.labelDefinitions());
        topology.addProcessor(LABEL_EMBEDDER, () -> services.labelEmbedder(intake), LABELS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_LABELS_STORE),
                Serdes.String(), Serdes.ByteArray()), LABEL_EMBEDDER);
        topology.addSink(LabelEmbeddingProcessor.CAPTIONS_SINK, topics.captionEmbeddings(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), LABEL_EMBEDDER);
        topology.addSink(LabelEmbeddingProcessor.DEAD_LETTERS_SINK, topics.deadLetters(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), LABEL_EMBEDDER);

        topology.addSource(IMAGES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.images());
        topology.addProcessor(IMAGE_LABELER, () -> services.imageLabeler(intake), IMAGES_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.String(), Serdes.ByteArray()), IMAGE_LABELER);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.lruMap(RECENT_LABELS_STORE, Math.max(1, services.settings().recentResults())),
                Serdes.String(), Serdes.ByteArray()), IMAGE_LABELER);
        if (services.settings().relabel().enabled()) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RETAINED_IMAGES_STORE),
                    Serdes.String(), Serdes.ByteArray()), IMAGE_LABELER);
        }
        topology.addSink(ImageLabelingProcessor.LABELS_SINK, topics.imageLabels(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), IMAGE_LABELER);
        topology.addSink(ImageLabelingProcessor.HEATMAPS_SINK, topics.regionHeatmaps(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), IMAGE_LABELER);
        topology.addSink(ImageLabelingProcessor.DEAD_LETTERS_SINK, topics.deadLetters(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), IMAGE_LABELER);
        if (topics.embeddingCache() != null) {
            topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.lruMap(EMBEDDING_CACHE_STORE,
                            services.settings().embeddingCache().maxEntries()), Serdes.String(), Serdes.ByteArray())
                            .withLoggingDisabled(),
                    EMBEDDING_CACHE_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                    topics.embeddingCache(), EMBEDDING_CACHE_UPDATER, services::embeddingCacheUpdater);
            topology.addSink(ImageLabelingProcessor.EMBEDDING_CACHE_SINK, topics.embeddingCache(),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer(), IMAGE_LABELER);
        }
        if (topics.imageEmbeddings() != null) {
            topology.addSink(ImageLabelingProcessor.EMBEDDINGS_SINK, topics.imageEmbeddings(),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer(), IMAGE_LABELER);
        }
        return topology;
    }
}
