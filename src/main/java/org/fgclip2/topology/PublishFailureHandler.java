package org.fgclip2.topology;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.fgclip2.avro.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the producer refuses one of the topology's outputs (a record too large for a topic whose limit
 * was lowered after the start, a broker policy, a corrupt batch). The topology checks every output against the
 * limits learned at start, so this is the last line. Under exactly-once a refused record leaves the transaction
 * unable to commit whatever the handler answers, and the thread fails; so the handler blames the input the output
 * came from (its {@link SourceHeader}) in the {@link FailureLedger} and fails the thread. Its replacement reads the
 * input again and dead-letters it (stage {@code PUBLISH}) instead of processing it: the stream goes on, exactly
 * once. A retriable failure (a broker away longer than the delivery timeout) blames nobody.
 *
 * <p>Kafka Streams creates the handler from its class name; the ledger comes in the configuration under
 * {@link #LEDGER_CONFIG}.
 */
public final class PublishFailureHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PublishFailureHandler.class);

    /** The configuration key of the instance's {@link FailureLedger}. */
    public static final String LEDGER_CONFIG = "fgclip2.failure.ledger";

    private FailureLedger ledger;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(LEDGER_CONFIG);
        if (!(value instanceof FailureLedger l)) {
            throw new IllegalStateException(LEDGER_CONFIG + " must hold the instance's FailureLedger");
        }
        this.ledger = l;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof RetriableException) {
            LOG.warn("publishing to {} failed and may succeed later: {}", record.topic(), exception.toString());
            return Response.fail();
        }
        var source = SourceHeader.read(record.headers());
        if (source.isPresent()) {
            var s = source.get();
            String reason = "its output to topic '" + record.topic() + "' was refused: " + DeadLetters.reason(exception);
            ledger.failed(s.topic(), s.partition(), s.offset(), Stage.PUBLISH, reason);
            LOG.error("an output of {}:{}:{} was refused by Kafka ({}); the input will be dead-lettered when it is read"
                    + " again", s.topic(), s.partition(), s.offset(), exception.toString());
        } else {
            LOG.error("a record for {} was refused by Kafka: {}", record.topic(), exception.toString());
        }
        return Response.fail();
    }
}
