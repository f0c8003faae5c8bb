package org.fgclip2.topology;

import java.util.Optional;

/**
 * Whether the labelling pipeline makes progress, as far as the model is concerned: when every forward fails (a
 * device gone, native memory exhausted) images only turn into dead letters, and the instance should say it is not
 * ready rather than look healthy. Thread-safe.
 */
public final class PipelineHealth {

    /** Consecutive failed forwards after which the instance reports itself not ready. */
    static final int FAILED_FORWARDS = 3;

    private int failedForwards;
    private String lastFailure;

    synchronized void batchSucceeded() {
        failedForwards = 0;
        lastFailure = null;
    }

    synchronized void batchFailed(String reason) {
        failedForwards++;
        lastFailure = reason;
    }

    /** Why the pipeline cannot make progress, if it cannot. */
    public synchronized Optional<String> problem() {
        if (failedForwards < FAILED_FORWARDS) {
            return Optional.empty();
        }
        return Optional.of("the model failed its last " + failedForwards + " forwards; the last failure: " + lastFailure);
    }
}
