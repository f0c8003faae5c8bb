package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One task's retained images in its changelogged store, oldest first. An image labelled at time T is two entries:
 * its body ({@code b/T/id}: the embedding and all that never changes) and its label state ({@code s/T/id}: set
 * version, scores and positive labels, all a re-scoring rewrites), with T in hexadecimal milliseconds so that keys
 * sort by time and the oldest are at the front. An index entry {@code i/id} points at the pair, so that an image
 * labelled again replaces its older entries. Bounded by a count and by age; the count is taken from the store when
 * the task starts and kept from then on (only this task writes the store).
 */
final class RetainedImages {

    private static final String STATE = "s/";
    /** The first key after every {@code s/...} key. */
    private static final String STATE_END = "s0";
    private static final String BODY = "b/";
    private static final String BY_ID = "i/";
    /**
     * {@code v/<version>|<model>}: the labels of a version of a set, so that scores of unchanged labels can be reused
     * (scores of another model are not: its versions are not found).
     */
    private static final String VERSION = "v/";

    private final KeyValueStore<String, byte[]> store;
    private final RelabelSettings settings;
    private final OutputLimits limits;
    private final String changelog;
    private final String modelId;
    private int count = -1;
    /** Versions known to be stored, and those read back: a handful per set. */
    private final Map<String, LabelMatrix.SetLabels> versions = new HashMap<>();

    /**
     * A freshly labelled image to keep, with the labels of the set version it was scored against.
     */
    record Addition(RetainedImage image, LabelMatrix.SetLabels setLabels) {
    }

    /** @param modelId the model that scores the images this task keeps */
    RetainedImages(KeyValueStore<String, byte[]> store, RelabelSettings settings, OutputLimits limits,
                   String changelog, String modelId) {
        this.store = store;
        this.modelId = modelId;
        this.settings = settings;
        this.limits = limits;
        this.changelog = changelog;
    }

    /** Keeps a labelled image, in place of an older entry of the same id; false when it is too large to keep. */
    boolean put(Addition addition) {
        RetainedImage image = addition.image();
        String suffix = String.format("%016x", image.retainedAtMillis()) + "/" + image.imageId();
        byte[] body = image.bodyBytes();
        if (!limits.fits(changelog, BODY + suffix, body)) {
            return false;
        }
        byte[] older = store.get(BY_ID + image.imageId());
        if (older != null) {
            remove(STATE + new String(older, StandardCharsets.UTF_8));
        }
        countIfUnknown();
        rememberVersion(image.state().labelSetVersion(), addition.setLabels());
        store.put(BODY + suffix, body);
        store.put(STATE + suffix, image.state().toBytes());
        store.put(BY_ID + image.imageId(), suffix.getBytes(StandardCharsets.UTF_8));
        count++;
        evict(Long.MIN_VALUE);
        return true;
    }

    /** The label states after {@code stateKey} (from the first when null), oldest first; the caller closes it. */
    KeyValueIterator<String, byte[]> statesAfter(String stateKey) {
        return store.range(stateKey == null ? STATE : stateKey + "\0", STATE_END);
    }

    /** The whole image of a label state; null when its body is missing. */
    RetainedImage image(String stateKey, RetainedImage.LabelState state) {
        byte[] body = store.get(BODY + stateKey.substring(STATE.length()));
        return body == null ? null : RetainedImage.of(body, state);
    }

    /** Records an image as re-scored. */
    void update(String stateKey, RetainedImage.LabelState state, LabelMatrix.SetLabels setLabels) {
        rememberVersion(state.labelSetVersion(), setLabels);
        store.put(stateKey, state.toBytes());
    }

    /**
     * The labels of a version of a set, as stored when an image was scored against it by this model; null when
     * unknown.
     */
    LabelMatrix.SetLabels setLabels(String version) {
        return versions.computeIfAbsent(version, v -> {
            byte[] stored = store.get(VERSION + v + "|" + modelId);
            return stored == null ? null : readSetLabels(stored);
        });
    }

    private void rememberVersion(String version, LabelMatrix.SetLabels setLabels) {
        if (setLabels(version) == null) {
            store.put(VERSION + version + "|" + modelId, writeSetLabels(setLabels));
            versions.put(version, setLabels);
        }
    }

    private static byte[] writeSetLabels(LabelMatrix.SetLabels labels) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < labels.labelIds().size(); i++) {
            text.append(labels.labelIds().get(i)).append('\n').append(labels.promptsHashes().get(i)).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static LabelMatrix.SetLabels readSetLabels(byte[] stored) {
        String[] lines = new String(stored, StandardCharsets.UTF_8).split("\n", -1);
        List<String> ids = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i + 1 < lines.length; i += 2) {
            ids.add(lines[i]);
            hashes.add(lines[i + 1]);
        }
        return new LabelMatrix.SetLabels(ids, hashes);
    }

    /** Forgets an image, by the key of its label state. */
    void remove(String stateKey) {
        String suffix = stateKey.substring(STATE.length());
        store.delete(stateKey);
        store.delete(BODY + suffix);
        store.delete(BY_ID + suffix.substring(suffix.indexOf('/') + 1));
        count--;
    }

    /** Drops the oldest images beyond the count, and those labelled before {@code oldestKeptMillis}. */
    void evict(long oldestKeptMillis) {
        countIfUnknown();
        String oldestKept = STATE + String.format("%016x", Math.max(0, oldestKeptMillis));
        try (KeyValueIterator<String, byte[]> it = store.range(STATE, STATE_END)) {
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

    private void countIfUnknown() {
        if (count < 0) {
            count = 0;
            try (KeyValueIterator<String, byte[]> it = store.range(STATE, STATE_END)) {
                for (; it.hasNext(); it.next()) {
                    count++;
                }
            }
        }
    }
}
