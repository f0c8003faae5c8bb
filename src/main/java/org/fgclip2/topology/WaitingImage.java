package org.fgclip2.topology;

import java.util.concurrent.CompletableFuture;
import org.fgclip2.avro.ImageEvent;

/** An accepted image in the thread's batcher: fetched, decoded and patched in the background. */
record WaitingImage(BatchOwner owner, PendingRecord pending, ImageEvent event,
                    CompletableFuture<PreparedImage> prepared) {

    /**
     * Prepared and fit for a batch. A failed preparation is not ready: it may fail at any moment, also after the
     * batcher dead-lettered this tick's failures and before it forms batches, and joining it there would throw out
     * of the punctuation and fail the stream thread; the next tick dead-letters it.
     */
    boolean ready() {
        return prepared.isDone() && !prepared.isCompletedExceptionally();
    }

    boolean failed() {
        return prepared.isCompletedExceptionally();
    }
}
