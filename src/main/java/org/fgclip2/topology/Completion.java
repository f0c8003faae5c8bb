package org.fgclip2.topology;

import java.util.List;

/** What an accepted image produced: forwarded, then its pending entry removed, in the owning task's transaction. */
record Completion(PendingImage pending, List<Output> outputs) {
}
