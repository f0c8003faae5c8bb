package org.fgclip2.serialization.registry;

/** The compatibility levels of the Confluent REST API: which new versions of a subject the registry accepts. */
public enum Compatibility {
    NONE,
    /** A new version can read data written with the previous one (fields may be removed, or added with a default). */
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE
}
