package org.fgclip2.serialization;

import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be written to, or read from, the Confluent Avro wire format (magic byte 0, 4-byte
 * big-endian schema id, Avro binary). {@link #reason()} says which of the distinct failures it was, so that a
 * topology can route the record (for instance to a dead-letter topic with the reason in a header); the
 * message says what exactly was wrong and with which topic and schema id.
 */
public class WireFormatException extends SerializationException {

    /** What went wrong. The first group concerns reading, the second writing, the last both. */
    public enum Reason {
        /** The payload has no bytes at all. */
        EMPTY_PAYLOAD,
        /** The payload is shorter than the 5-byte header. */
        TOO_SHORT,
        /** The first byte is not the magic byte 0: not Confluent wire format (plain JSON, another framing...). */
        WRONG_MAGIC_BYTE,
        /** The registry has no schema with the id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The writer's schema cannot be read as the reader's schema (Avro schema resolution fails). */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body does not decode with the writer's schema (truncated, corrupt, or bytes left over). */
        AVRO_DECODE_FAILED,

        /** Auto-registration is off and the subject does not have the record's schema. */
        SCHEMA_NOT_REGISTERED,
        /** The registry refused to register the record's schema (incompatible or invalid). */
        SCHEMA_REJECTED,
        /** The record does not encode with its own schema (a null in a non-null field, a wrong type...). */
        AVRO_ENCODE_FAILED,

        /** The registry could not be reached, or kept failing (5xx), after all retries. */
        REGISTRY_UNAVAILABLE,
        /** The registry refused the request for another reason, such as bad credentials. */
        REGISTRY_ERROR
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message) {
        this(reason, message, null);
    }

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
