package org.fgclip2.serialization;

import org.fgclip2.serialization.WireFormatException.Reason;
import org.fgclip2.serialization.registry.SchemaRegistryException;
import org.fgclip2.serialization.registry.SchemaRegistryUnavailableException;

/** Turns registry failures met while (de)serializing into {@link WireFormatException}s with the right reason. */
final class RegistryFailures {

    private RegistryFailures() {}

    /**
     * @param reasonIfRefused the reason when the registry answered but refused (unavailability and other
     *     errors have reasons of their own)
     */
    static WireFormatException translate(SchemaRegistryException e, Reason reasonIfRefused, String context) {
        Reason reason;
        if (e instanceof SchemaRegistryUnavailableException) {
            reason = Reason.REGISTRY_UNAVAILABLE;
        } else if (reasonIfRefused == Reason.UNKNOWN_SCHEMA_ID && e.isSchemaNotFound()) {
            reason = Reason.UNKNOWN_SCHEMA_ID;
        } else if (reasonIfRefused == Reason.SCHEMA_REJECTED && (e.isIncompatible() || e.httpStatus() == 422)) {
            reason = Reason.SCHEMA_REJECTED;
        } else {
            reason = Reason.REGISTRY_ERROR;
        }
        return new WireFormatException(reason, context + ": " + e.getMessage(), e);
    }
}
