package org.fgclip2.topology;

import java.util.List;

/**
 * What an accepted record produced: forwarded by the task that owns the record, in its own processing context,
 * then its entry in the task's pending store removed — all in the task's transaction under exactly-once.
 *
 * @param pendingKey the record's key in its task's pending store
 * @param source the record as consumed (its coordinates go into a header of every output)
 * @param retained the labelled image to keep for re-labelling; null for none
 */
record Completion(String pendingKey, ConsumedRecord source, List<Output> outputs,
                  RetainedImages.Addition retained) {

    Completion(String pendingKey, ConsumedRecord source, List<Output> outputs) {
        this(pendingKey, source, outputs, null);
    }

    Completion withOutputs(List<Output> more) {
        return new Completion(pendingKey, source, more, retained);
    }
}
