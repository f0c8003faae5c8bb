package org.fgclip2.topology;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global caption store equal to the compacted caption-embeddings topic, on every instance, and bumps a
 * generation counter so that label-set caches know to rebuild.
 */
final class CaptionStoreUpdater implements Processor<String, byte[], Void, Void> {

    private final String storeName;
    private final AtomicLong generation;
    private KeyValueStore<String, byte[]> store;

    CaptionStoreUpdater(String storeName, AtomicLong generation) {
        this.storeName = storeName;
        this.generation = generation;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        generation.incrementAndGet();
    }
}
