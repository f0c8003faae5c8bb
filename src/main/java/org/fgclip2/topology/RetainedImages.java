package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One task's retained images in its changelogged store, oldest first: each under {@code t/<labelled at>/<image id>}
 * (hexadecimal milliseconds, so keys sort by time and the oldest are found at the front), with an index entry
 * {@code i/<image id>} that points at it, so an image labelled again replaces its older entry. Bounded by a count
 * and by age; the count is taken from the store when the task starts and kept from then on (only this task writes
 * the store).
 */
final class RetainedImages {

    private static final String BY_TIME = "t/";
    /** The first key after every {@code t/...} key. */
    private static final String BY_TIME_END = "t0";
    private static final String BY_ID = "i/";

    private final KeyValueStore<String, byte[]> store;
    private final RelabelSettings settings;
    private final OutputLimits limits;
    private final String changelog;
    private int count = -1;

    RetainedImages(KeyValueStore<String, byte[]> store, RelabelSettings settings, OutputLimits limits,
                   String changelog) {
        this.store = store;
        this.settings = settings;
        this.limits = limits;
        this.changelog = changelog;
    }

    /** Keeps a labelled image, in place of an older entry of the same id; false when it is too large to keep. */
    boolean put(RetainedImage image) {
        String key = BY_TIME + String.format("%016x", image.retainedAtMillis()) + "/" + image.imageId();
        byte[] value = image.toBytes();
        if (!limits.fits(changelog, key, value)) {
            return false;
        }
        byte[] older = store.get(BY_ID + image.imageId());
        if (older != null) {
            store.delete(new String(older, StandardCharsets.UTF_8));
            count--;
        }
        store.put(key, value);
        store.put(BY_ID + image.imageId(), key.getBytes(StandardCharsets.UTF_8));
        count++;
        evict(Long.MIN_VALUE);
        return true;
    }

    /** Replaces an entry with the same image re-scored. */
    void update(String key, RetainedImage image) {
        store.put(key, image.toBytes());
    }

    void remove(String key) {
        store.delete(key);
        store.delete(BY_ID + key.substring(key.indexOf('/', BY_TIME.length()) + 1));
        count--;
    }

    /** Drops the oldest entries beyond the count, and those labelled before {@code oldestKeptMillis}. */
    void evict(long oldestKeptMillis) {
        if (count < 0) {
            count = 0;
            try (KeyValueIterator<String, byte[]> it = store.range(BY_TIME, BY_TIME_END)) {
                for (; it.hasNext(); it.next()) {
                    count++;
                }
            }
        }
        String oldestKept = BY_TIME + String.format("%016x", Math.max(0, oldestKeptMillis));
        try (KeyValueIterator<String, byte[]> it = store.range(BY_TIME, BY_TIME_END)) {
            while (it.hasNext()) {
                String key = it.peekNextKey();
                if (count <= settings.maxImages() && key.compareTo(oldestKept) >= 0) {
                    return;
                }
                it.next();
                remove(key);
            }
        }
    }

    /** The entries after {@code key} (from the first when null), oldest first; the caller closes it. */
    KeyValueIterator<String, byte[]> after(String key) {
        return store.range(key == null ? BY_TIME : key + "\0", BY_TIME_END);
    }
}
