package org.fgclip2.topology;

import org.fgclip2.avro.Stage;

/** An image event that failed at one stage of the pipeline; becomes a dead letter with this stage and reason. */
final class StageFailure extends Exception {
    private final Stage stage;

    StageFailure(Stage stage, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.stage = stage;
    }

    Stage stage() {
        return stage;
    }
}
