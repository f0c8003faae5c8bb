package org.fgclip2.topology;

/** A serialised record for one of the processor's sinks. */
record Output(String sink, String key, byte[] value) {
}
