package org.fgclip2.topology;

/**
 * A task whose accepted records wait in its stream thread's {@link ThreadBatcher}. The batcher may finish them
 * while another task is being processed; the owner forwards the outputs the next time it runs itself.
 */
interface BatchOwner {

    void complete(Completion completion);

    /** The Kafka Streams task id, for the logging context of the owner's records. */
    String task();
}
