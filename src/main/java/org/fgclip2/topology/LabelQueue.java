package org.fgclip2.topology;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.fgclip2.avro.CaptionEmbeddings;
import org.fgclip2.avro.Stage;

/**
 * The label definitions a stream thread's tasks accepted and have not embedded yet, oldest first. The thread's
 * {@link ThreadBatcher} runs them a {@link LabelJob#step step} at a time between image batches, within the same
 * time budget; a finished label goes back to its task as a caption-embeddings record.
 */
final class LabelQueue {

    private final CaptionEmbedder embedder;
    private final RecordCodecs codecs;
    private final OutputLimits limits;
    private final DeadLetters deadLetters;
    private final FailureLedger ledger;
    private final LabelingMetrics metrics;
    private final ArrayDeque<LabelJob> jobs = new ArrayDeque<>();
    private long nanosPerStep;

    LabelQueue(CaptionEmbedder embedder, RecordCodecs codecs, OutputLimits limits, DeadLetters deadLetters,
               FailureLedger ledger, LabelingMetrics metrics) {
        this.embedder = embedder;
        this.codecs = codecs;
        this.limits = limits;
        this.deadLetters = deadLetters;
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /** Queues a definition, replacing an older one of the same label from the same task. */
    void add(LabelJob job) {
        remove(job.owner(), job.pendingKey());
        jobs.add(job);
    }

    void remove(BatchOwner owner, String pendingKey) {
        jobs.removeIf(j -> j.owner() == owner && j.pendingKey().equals(pendingKey));
    }

    void removeOwner(BatchOwner owner) {
        jobs.removeIf(j -> j.owner() == owner);
    }

    boolean hasWork() {
        return !jobs.isEmpty();
    }

    /** What the last step took: the guess for the next. */
    long predictedNanos() {
        return nanosPerStep;
    }

    /** One step of the oldest label; a finished or failed label's outputs go to its task. */
    void step(Instant now) {
        LabelJob job = jobs.peek();
        try (var log = RecordLogContext.label(job.owner().task(), job.source(), job.pendingKey())) {
            step(job, now);
        }
    }

    private void step(LabelJob job, Instant now) {
        long t0 = System.nanoTime();
        try {
            job.step(embedder);
        } catch (RuntimeException e) {
            jobs.poll();
            job.owner().complete(new Completion(job.pendingKey(), job.source(),
                    List.of(deadLetter(job, Stage.INFERENCE, DeadLetters.reason(e), now))));
            return;
        } catch (Error e) {
            ledger.failed(job.source().topic(), job.source().partition(), job.source().offset(),
                    Stage.INFERENCE, DeadLetters.reason(e));
            throw e;
        }
        nanosPerStep = System.nanoTime() - t0;
        if (job.done()) {
            jobs.poll();
            Output out;
            try {
                out = output(job, now);
            } catch (RuntimeException e) {
                if (FailureLedger.isEnvironmental(e)) {
                    throw e;
                }
                out = deadLetter(job, Stage.PUBLISH, "cannot build the embeddings record: " + DeadLetters.reason(e),
                        now);
            }
            job.owner().complete(new Completion(job.pendingKey(), job.source(), List.of(out)));
        }
    }

    private Output output(LabelJob job, Instant now) {
        String topic = codecs.topics().captionEmbeddings();
        CaptionEmbeddings embeddings = job.result(embedder, now);
        byte[] bytes = codecs.write(embeddings);
        String tooLarge = limits.problem(topic, job.pendingKey(), bytes,
                "the embeddings of label '" + job.pendingKey() + "' (" + job.definition().getPrompts().size()
                        + " prompts)");
        if (tooLarge != null) {
            return deadLetter(job, Stage.PUBLISH, tooLarge + ": give it fewer or shorter prompts, or raise the"
                    + " topic's max.message.bytes", now);
        }
        metrics.labelEmbedded();
        return new Output(LabelEmbeddingProcessor.CAPTIONS_SINK, job.pendingKey(), bytes);
    }

    private Output deadLetter(LabelJob job, Stage stage, String reason, Instant now) {
        return deadLetters.output(LabelEmbeddingProcessor.DEAD_LETTERS_SINK, job.source(), stage, reason,
                job.pendingKey(), null, null, now);
    }
}
