package org.fgclip2.serialization.registry;

/**
 * The schema registry refused a request, or answered with something that is not a usable answer.
 *
 * <p>{@link #httpStatus()} and the {@code error_code} behind {@link #isSchemaNotFound()} are the registry's own
 * (Confluent REST API error codes such as {@value #SCHEMA_NOT_FOUND}); both are 0 when there was no answer.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Confluent error code: the subject does not exist. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: the version does not exist. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code: no schema has this id, or the subject does not have this schema. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent error code: the schema is not valid Avro. */
    public static final int INVALID_SCHEMA = 42201;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status the registry answered with, 0 if it did not answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** True when the registry has no schema with the id asked for. */
    public boolean isSchemaNotFound() {
        return errorCode == SCHEMA_NOT_FOUND;
    }

    /** True when the registry refused a schema as incompatible with earlier versions of the subject. */
    public boolean isIncompatible() {
        return httpStatus == 409;
    }
}
