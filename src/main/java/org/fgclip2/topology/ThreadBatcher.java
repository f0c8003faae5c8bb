package org.fgclip2.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.Stage;
import org.fgclip2.fetch.FetchException;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.ImageBatchEncoding;
import org.fgclip2.preprocess.PatchedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream thread's model work: images accepted by every task (partition) the thread owns wait here together, so
 * batches fill across partitions, and so do the label definitions its tasks accepted. Images are grouped by patch
 * bucket; a group runs when it reaches the size the {@link BatchSizer} allows, or when its oldest image has waited
 * {@code maxWait}. Label definitions are embedded a step at a time between batches. Results go back to the owning
 * task, which forwards them in its own context (a task may only produce while it is being processed).
 *
 * <p>The work runs only from the wall-clock punctuation of one task of the thread, its first registered owner.
 * Kafka Streams punctuates a task at most once per processing round and commits at the end of a round, so the model
 * time between two commits — one transaction under exactly-once — is one {@link #runDue} call, which the time
 * budget bounds. (Letting every task run work from each processed record would put many budgets in one
 * transaction, and the coordinator aborts a transaction open longer than {@code transaction.timeout.ms}.)
 *
 * <p>An image that was in a batch that failed is a suspect ({@link FailureLedger}) and runs alone, so that one
 * image that breaks the model cannot take the others of its batch with it. Confined to its stream thread.
 */
final class ThreadBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadBatcher.class);

    private final BatchSettings settings;
    private final ImagePreparer preparer;
    private final FgClip2Inference inference;
    private final FailureLedger ledger;
    private final PipelineHealth health;
    private final LabelingMetrics metrics;
    private final BatchSizer sizer;
    private final LabelSets labelSets;
    private final BatchResults results;
    private final LabelQueue labels;
    private final EmbeddingCache cache;
    private final List<WaitingImage> waiting = new ArrayList<>();
    /** Accepted images not started yet: a backlog waits in its tasks' pending stores, not in memory. */
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
    private final List<BatchOwner> owners = new ArrayList<>();
    /** Whether a label step goes before the next image batch when both wait: they take turns, across rounds. */
    private boolean labelsNext;
    /** Time the tasks spent re-labelling since the last {@link #runDue}, which starts a processing round. */
    private long relabelNanos;

    /**
     * @param labelSets the thread's label sets, which {@code results} scores against
     * @param cache where repeats find their embeddings; null without a cache
     * @param ledger where images that failed the model, or may have, are noted
     */
    ThreadBatcher(BatchSettings settings, ImagePreparer preparer, FgClip2Inference inference, LabelSets labelSets,
                  BatchResults results, LabelQueue labels, EmbeddingCache cache, FailureLedger ledger,
                  PipelineHealth health, LabelingMetrics metrics) {
        this.settings = settings;
        this.preparer = preparer;
        this.inference = inference;
        this.ledger = ledger;
        this.health = health;
        this.metrics = metrics;
        this.sizer = new BatchSizer(settings);
        this.labelSets = labelSets;
        this.results = results;
        this.labels = labels;
        this.cache = cache;
    }

    /** An accepted image whose fetch has not started, by its key in its task's pending store. */
    private record Deferred(ImageLabelingProcessor owner, String pendingKey) {
    }

    void register(BatchOwner owner) {
        owners.add(owner);
    }

    /** Whether this task's punctuation runs the thread's work. */
    boolean runsBatches(BatchOwner owner) {
        return !owners.isEmpty() && owners.get(0) == owner;
    }

    /** Forgets a closing task's work; its pending store keeps it for whoever owns the partition next. */
    boolean unregister(BatchOwner owner) {
        waiting.removeIf(w -> {
            if (w.owner() == owner) {
                w.prepared().cancel(true);
                return true;
            }
            return false;
        });
        deferred.removeIf(d -> d.owner() == owner);
        labels.removeOwner(owner);
        owners.remove(owner);
        return owners.isEmpty();
    }

    /**
     * An accepted image: fetched, decoded and patched at once while fewer than {@code batch.max-in-progress} are,
     * else when its turn comes (see {@link #defer}).
     */
    void submit(ImageLabelingProcessor owner, PendingRecord pending, ImageEvent event) {
        if (deferred.isEmpty() && waiting.size() < settings.maxInProgress()) {
            waiting.add(new WaitingImage(owner, pending, event, prepare(owner, event, pending.acceptedAtMillis())));
        } else {
            deferred.add(new Deferred(owner, pending.storeKey()));
        }
    }

    /** An accepted image kept only in its task's pending store until it is its turn (a restored backlog). */
    void defer(ImageLabelingProcessor owner, String pendingKey) {
        deferred.add(new Deferred(owner, pendingKey));
    }

    /** Starts deferred images, oldest first, while there is room. */
    private void admit(long nowMillis) {
        int room = settings.maxInProgress() - waiting.size();
        while (room > 0 && !deferred.isEmpty()) {
            Deferred d = deferred.poll();
            ImageLabelingProcessor.Accepted accepted = d.owner().start(d.pendingKey());
            if (accepted != null) {
                waiting.add(new WaitingImage(d.owner(), accepted.pending(), accepted.event(),
                        prepare(d.owner(), accepted.event(), nowMillis)));
                room--;
            }
        }
    }

    /**
     * Fetches and prepares an image; with a cache, looks its content up as soon as it is hashed, so that a repeat is
     * not even decoded.
     *
     * @param nowMillis the task's clock when the image starts, against which cached entries are aged
     */
    private CompletableFuture<PreparedImage> prepare(ImageLabelingProcessor owner, ImageEvent event, long nowMillis) {
        if (cache == null) {
            return preparer.prepare(event, null);
        }
        ReadOnlyKeyValueStore<String, byte[]> store = owner.embeddingCache();
        return preparer.prepare(event, contentSha256 -> {
            if (event.getHeatmaps()) {
                metrics.cacheMiss("heatmaps"); // asked for heatmaps: only a forward draws them
                return null;
            }
            if (results.wantsRegions(event)) {
                metrics.cacheMiss("regions"); // boxes to label: only a forward computes dense features
                return null;
            }
            return cache.find(store, contentSha256, event.getMaxPatches(), nowMillis);
        });
    }

    void submit(LabelJob job) {
        labels.add(job);
    }

    void cancelLabel(BatchOwner owner, String labelId) {
        labels.remove(owner, labelId);
    }

    /** Images started (fetching, decoding, prepared) and not batched yet. */
    int inProgress() {
        return waiting.size();
    }

    /** Accepted images waiting for their turn to start. */
    int deferredCount() {
        return deferred.size();
    }

    /** The label sets as the thread scores them (for the size checks of new label definitions). */
    LabelSets labelSets() {
        return labelSets;
    }

    /**
     * Runs the batches that are due, and label steps, while their predicted model time fits the time budget; the
     * first always runs (the {@link BatchSizer} keeps a single batch within the budget once its bucket is
     * measured). Images and labels take turns when both wait, so neither starves the other.
     */
    void runDue(long nowMillis, ReadOnlyKeyValueStore<String, byte[]> captions) {
        relabelNanos = 0;
        long started = System.nanoTime();
        long budget = settings.timeBudget().toNanos();
        boolean first = true;
        while (true) {
            failPrepared(nowMillis);
            admit(nowMillis);
            if (cache != null) {
                serveRepeats(nowMillis, captions);
            }
            List<WaitingImage> batch = nextDueBatch(nowMillis);
            boolean runLabel = labels.hasWork() && (batch == null || labelsNext);
            if (batch == null && !runLabel) {
                return;
            }
            long predicted = runLabel ? labels.predictedNanos()
                    : sizer.predictedNanos(batch.get(0).prepared().join().bucket(), batch.size());
            if (!first && System.nanoTime() - started + predicted > budget) {
                return;
            }
            first = false;
            if (runLabel) {
                labels.step(Instant.ofEpochMilli(nowMillis));
            } else {
                waiting.removeAll(batch);
                run(batch, captions, nowMillis);
            }
            labelsNext = !runLabel;
        }
    }

    /**
     * What is left of the round's re-labelling time for a task: a quarter of the time budget, shared by the tasks
     * of the thread, so that re-scoring adds at most that to a transaction and images keep flowing.
     */
    long relabelAllowanceNanos() {
        return settings.timeBudget().toNanos() / 4 - relabelNanos;
    }

    void relabelled(long nanos) {
        relabelNanos += nanos;
    }

    /**
     * Completes the repeats the cache found, without a forward; one that needs a heatmap after all (a positive label
     * with heatmaps for positives) is decoded now and batched like the rest.
     */
    private void serveRepeats(long nowMillis, ReadOnlyKeyValueStore<String, byte[]> captions) {
        for (ListIterator<WaitingImage> it = waiting.listIterator(); it.hasNext(); ) {
            WaitingImage w = it.next();
            if (!w.ready() || w.prepared().join().isDecoded()) {
                continue;
            }
            Completion served = null;
            try (var log = logContext(w)) {
                served = results.fromCache(w, captions, Instant.ofEpochMilli(nowMillis));
                if (served == null) {
                    metrics.cacheMiss("heatmaps");
                }
            } catch (RuntimeException e) {
                if (FailureLedger.isEnvironmental(e)) {
                    throw e;
                }
                // whatever went wrong, the model's own path handles the image, and blames it if it must
                LOG.warn("embedding cache could not serve image {}: {}", w.event().getId(), e.toString());
                metrics.cacheMiss("error");
            }
            if (served == null) {
                it.set(new WaitingImage(w.owner(), w.pending(), w.event(),
                        preparer.decode(w.event(), w.prepared().join())));
                continue;
            }
            it.remove();
            metrics.cacheHit();
            w.owner().complete(served);
        }
    }

    private void failPrepared(long nowMillis) {
        for (Iterator<WaitingImage> it = waiting.iterator(); it.hasNext(); ) {
            WaitingImage w = it.next();
            if (w.failed()) {
                it.remove();
                StageFailure failure = stageFailure(w);
                if (failure.getCause() instanceof FetchException fetch) {
                    metrics.fetchFailed(fetch.category());
                }
                try (var log = logContext(w)) {
                    w.owner().complete(results.deadLetter(w, failure.stage(), failure.getMessage(),
                            Instant.ofEpochMilli(nowMillis)));
                }
            }
        }
    }

    private static StageFailure stageFailure(WaitingImage w) {
        try {
            w.prepared().join();
            throw new IllegalStateException("not failed");
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            return cause instanceof StageFailure f ? f
                    : new StageFailure(Stage.PREPROCESS, DeadLetters.reason(cause), cause);
        } catch (CancellationException e) {
            return new StageFailure(Stage.FETCH, "preparation cancelled", e);
        }
    }

    /** The next batch to run: a suspect alone, else a full bucket group or one whose oldest image waited enough. */
    private List<WaitingImage> nextDueBatch(long nowMillis) {
        Map<Integer, List<WaitingImage>> groups = new LinkedHashMap<>();
        for (WaitingImage w : waiting) {
            // a repeat the cache found is served or decoded by serveRepeats; one that got ready since waits for it
            if (w.ready() && w.prepared().join().isDecoded()) {
                if (ledger.isSuspect(w.pending().source())) {
                    return List.of(w);
                }
                groups.computeIfAbsent(w.prepared().join().bucket(), b -> new ArrayList<>()).add(w);
            }
        }
        long maxWait = settings.maxWait().toMillis();
        for (Map.Entry<Integer, List<WaitingImage>> group : groups.entrySet()) {
            List<WaitingImage> images = group.getValue();
            int limit = sizer.limit(group.getKey());
            boolean full = images.size() >= limit;
            boolean waitedEnough = images.get(0).pending().acceptedAtMillis() + maxWait <= nowMillis;
            if (full || waitedEnough) {
                return new ArrayList<>(images.subList(0, Math.min(limit, images.size())));
            }
        }
        return null;
    }

    private void run(List<WaitingImage> batch, ReadOnlyKeyValueStore<String, byte[]> captions, long nowMillis) {
        List<PatchedImage> patched = new ArrayList<>(batch.size());
        long realPatches = 0;
        for (WaitingImage w : batch) {
            PatchedImage p = w.prepared().join().patched();
            patched.add(p);
            realPatches += p.patchCount();
            metrics.queued(Duration.ofMillis(Math.max(0, nowMillis - w.pending().acceptedAtMillis())));
        }
        int bucket = batch.get(0).prepared().join().bucket();
        long t0 = System.nanoTime();
        ImageBatchEncoding encoding;
        try {
            encoding = inference.encodeImages(patched);
        } catch (RuntimeException e) {
            forwardFailed(batch, e, nowMillis);
            return;
        } catch (Error e) {
            blame(batch, e);
            throw e;
        }
        try (encoding) {
            finish(batch, encoding, bucket, realPatches, t0, captions, nowMillis);
        } catch (RuntimeException | Error e) {
            if (!FailureLedger.isEnvironmental(e)) {
                blame(batch, e);
            }
            throw e;
        }
    }

    /** Measures a batch that ran and hands its images their outputs. */
    private void finish(List<WaitingImage> batch, ImageBatchEncoding encoding, int bucket, long realPatches, long t0,
                        ReadOnlyKeyValueStore<String, byte[]> captions, long nowMillis) {
        Duration modelTime = Duration.ofNanos(System.nanoTime() - t0);
        sizer.measured(bucket, batch.size(), modelTime);
        metrics.batch(batch.size(), (int) encoding.paddedLength(), bucket, realPatches, modelTime);
        health.batchSucceeded();
        LOG.debug("batch images={} bucket={} padded={} fill={} modelMs={}", batch.size(), bucket,
                encoding.paddedLength(), String.format("%.3f", (double) realPatches / (batch.size() * encoding.paddedLength())),
                modelTime.toMillis());
        results.complete(batch, encoding, captions, Instant.ofEpochMilli(nowMillis));
    }

    /** A forward that failed: one image alone is dead-lettered; a batch's images each run again, alone. */
    private void forwardFailed(List<WaitingImage> batch, RuntimeException e, long nowMillis) {
        String reason = DeadLetters.reason(e);
        health.batchFailed(reason);
        if (batch.size() == 1) {
            try (var log = logContext(batch.get(0))) {
                LOG.warn("model forward failed for image {}: {}", batch.get(0).event().getId(), e.toString());
                batch.get(0).owner().complete(results.deadLetter(batch.get(0), Stage.INFERENCE, reason,
                        Instant.ofEpochMilli(nowMillis)));
            }
            return;
        }
        LOG.warn("model forward failed for a batch of {} images, running each alone: {}", batch.size(), e.toString());
        for (WaitingImage w : batch) {
            ledger.suspect(w.pending().source(), Stage.INFERENCE, reason);
        }
        waiting.addAll(0, batch);
    }

    /** A failure that will end the thread: the image alone is to blame, the images of a batch are suspects. */
    private void blame(List<WaitingImage> batch, Throwable e) {
        String reason = "labelling it failed the stream thread: " + DeadLetters.reason(e);
        for (WaitingImage w : batch) {
            ConsumedRecord source = w.pending().source();
            if (batch.size() == 1) {
                ledger.failed(source.topic(), source.partition(), source.offset(), Stage.INFERENCE, reason);
            } else {
                ledger.suspect(source, Stage.INFERENCE, reason);
            }
        }
    }

    static RecordLogContext logContext(WaitingImage w) {
        return RecordLogContext.image(w.owner().task(), w.pending().source(), w.event().getId());
    }
}
