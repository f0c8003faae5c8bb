package org.fgclip2.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its topic on every instance: the caption store (whose changes tell label-set caches
 * to rebuild) and the embedding cache.
 */
final class GlobalStoreUpdater implements Processor<String, byte[], Void, Void> {

    private final String storeName;
    private final Runnable changed;
    private KeyValueStore<String, byte[]> store;

    /** @param changed called after every change the store takes */
    GlobalStoreUpdater(String storeName, Runnable changed) {
        this.storeName = storeName;
        this.changed = changed;
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
        changed.run();
    }
}
