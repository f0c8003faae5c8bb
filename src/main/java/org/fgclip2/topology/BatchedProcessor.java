package org.fgclip2.topology;

import java.time.Instant;
import java.util.ArrayDeque;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fgclip2.avro.Stage;

/**
 * A task whose accepted records wait for the model in its stream thread's {@link ThreadBatcher}: each is kept in a
 * changelogged pending store until its outputs are forwarded, so that a crash between poll and output loses
 * nothing — the store is restored and its records queued again — and the outputs, the pending delete and the
 * consumed offsets share the task's transaction under exactly-once.
 */
abstract class BatchedProcessor implements Processor<byte[], byte[], String, byte[]>, BatchOwner {

    final RecordIntake intake;
    private final String pendingStore;
    private final ArrayDeque<Completion> completed = new ArrayDeque<>();
    ProcessorContext<String, byte[]> context;
    KeyValueStore<String, byte[]> pending;
    ReadOnlyKeyValueStore<String, byte[]> captions;
    /** Null without an embedding cache. */
    private ReadOnlyKeyValueStore<String, byte[]> embeddingCache;
    ThreadBatcher batcher;
    private boolean restored;

    BatchedProcessor(RecordIntake intake, String pendingStore) {
        this.intake = intake;
        this.pendingStore = pendingStore;
    }

    /**
     * Kafka Streams may close and re-initialise the same processor instance (task revival after an aborted
     * transaction restores the stores from the changelog): everything kept from a previous life is dropped here.
     */
    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.restored = false;
        this.completed.clear();
        this.pending = context.getStateStore(pendingStore);
        this.captions = context.getStateStore(LabelingTopology.CAPTION_STORE);
        this.embeddingCache = intake.codecs().topics().embeddingCache() == null ? null
                : context.getStateStore(LabelingTopology.EMBEDDING_CACHE_STORE);
        this.batcher = intake.batchers().join(this);
        context.schedule(intake.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    /**
     * Queues again what a previous owner of this partition accepted but did not finish, restored from the
     * changelog. Done on the first process or punctuation rather than in init, where nothing may be forwarded.
     */
    abstract void requeuePending();

    /** The global embedding cache; null without a cache. */
    final ReadOnlyKeyValueStore<String, byte[]> embeddingCache() {
        return embeddingCache;
    }

    /** Called for every output this task forwards. */
    void forwarded(Output output) {
    }

    /** Called for every completion that names an image to keep. */
    void retain(RetainedImages.Addition image) {
    }

    /** Called at the end of every punctuation: work of the task's own (in its own context). */
    void punctuated(long nowMillis) {
    }

    final void restoreOnce() {
        if (!restored) {
            restored = true;
            requeuePending();
        }
    }

    private void tick(long nowMillis) {
        try (var log = RecordLogContext.task(task())) {
            restoreOnce();
            flush();
            if (batcher.runsBatches(this)) {
                batcher.runDue(nowMillis, captions);
                flush();
            }
            punctuated(nowMillis);
        }
    }

    @Override
    public final String task() {
        return context.taskId().toString();
    }

    /** Called by the thread's batcher, possibly while another task of the thread is being processed. */
    @Override
    public final void complete(Completion completion) {
        completed.add(completion);
    }

    /** Forwards what the batcher finished for this task and forgets it in the pending store. */
    final void flush() {
        Completion c;
        while ((c = completed.poll()) != null) {
            for (Output o : c.outputs()) {
                context.forward(new Record<>(o.key(), o.value(), c.source().timestamp(),
                        OutputHeaders.of(c.source())), o.sink());
                forwarded(o);
            }
            if (c.retained() != null) {
                retain(c.retained());
            }
            pending.delete(c.pendingKey());
            intake.ledger().forget(c.source());
        }
    }

    /** Forwards a dead letter for a record this task refuses at once. */
    final void reject(ConsumedRecord source, String sink, Stage stage, String reason, String key, String imageId,
                      String uri) {
        intake.ledger().forget(source);
        Output letter = intake.deadLetters().output(sink, source, stage, reason, key, imageId, uri,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        context.forward(new Record<>(letter.key(), letter.value(), source.timestamp(), OutputHeaders.of(source)), sink);
    }

    /** Blames the record in the ledger when processing it fails the thread (unless the environment is at fault). */
    final void blame(ConsumedRecord source, Stage stage, Throwable failure) {
        if (!FailureLedger.isEnvironmental(failure)) {
            intake.ledger().failed(source.topic(), source.partition(), source.offset(), stage,
                    "processing it failed the stream thread: " + DeadLetters.reason(failure));
        }
    }

    @Override
    public void close() {
        completed.clear();
        if (batcher != null) {
            intake.batchers().leave(batcher, this);
        }
        batcher = null;
    }
}
