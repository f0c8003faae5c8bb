package org.fgclip2.topology;

import java.time.Duration;

/**
 * What a batched processor uses to take a record in: decode it, check that what it keeps fits its changelog,
 * refuse it with a dead letter, remember the records that failed a thread, and hand the rest to its stream
 * thread's batcher, whose work runs every {@code tick}.
 */
record RecordIntake(ThreadBatchers batchers, Duration tick, RecordCodecs codecs, OutputLimits limits,
                    FailureLedger ledger, DeadLetters deadLetters) {
}
