package org.fgclip2.topology;

import java.util.concurrent.CompletableFuture;
import org.fgclip2.avro.ImageEvent;

/** An accepted image in the thread's batcher: fetched, decoded and patched in the background. */
record WaitingImage(BatchOwner owner, PendingRecord pending, ImageEvent event,
                    CompletableFuture<PreparedImage> prepared) {

    boolean ready() {
        return prepared.isDone();
    }

    boolean failed() {
        return prepared.isCompletedExceptionally();
    }
}
