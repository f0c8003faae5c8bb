package org.fgclip2.hub;

/** No connection to the hub could be made: the machine is offline, or a firewall or proxy is in the way. */
final class EndpointUnreachableException extends Exception {
    EndpointUnreachableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
