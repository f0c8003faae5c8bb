package org.fgclip2.serialization.registry;

/**
 * No usable answer from any of the registry's URLs after every retry: connection refused, timed out, or
 * server errors (5xx). Unlike other {@link SchemaRegistryException}s this says nothing about the record or
 * schema at hand; trying again later may well succeed.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message, int lastHttpStatus, Throwable cause) {
        super(message, lastHttpStatus, 0, cause);
    }
}
