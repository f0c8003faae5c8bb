package org.fgclip2.app.localkafka;

/** The local Kafka broker could not be started, made ready, or stopped; the message says what to check. */
public final class LocalKafkaBrokerException extends RuntimeException {

    public LocalKafkaBrokerException(String message) {
        super(message);
    }

    public LocalKafkaBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
