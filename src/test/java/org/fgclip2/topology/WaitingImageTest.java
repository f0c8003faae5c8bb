package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.fgclip2.avro.ImageEvent;
import org.junit.jupiter.api.Test;

/**
 * The batcher forms batches of ready images, joining their preparations; a preparation that fails after the tick's
 * failures were dead-lettered must not count as ready, or that join fails the stream thread. A benchmark with
 * fetches timing out on a timer thread hit exactly that.
 */
class WaitingImageTest {

    private static WaitingImage waiting(CompletableFuture<PreparedImage> prepared) {
        return new WaitingImage(null, null, ImageEvent.newBuilder().setId("x").setUri("file:///x.png").build(),
                prepared);
    }

    @Test
    void onlyASuccessfulPreparationIsReadyForABatch() {
        CompletableFuture<PreparedImage> running = new CompletableFuture<>();
        CompletableFuture<PreparedImage> cancelled = new CompletableFuture<>();
        cancelled.cancel(true);

        assertThat(waiting(running).ready()).isFalse();
        assertThat(waiting(CompletableFuture.failedFuture(new RuntimeException("fetch failed"))).ready()).isFalse();
        assertThat(waiting(cancelled).ready()).isFalse();
        assertThat(waiting(CompletableFuture.completedFuture(PreparedImage.decoded(null, null, null))).ready()).isTrue();
        assertThat(waiting(CompletableFuture.failedFuture(new RuntimeException())).failed()).isTrue();
    }
}
