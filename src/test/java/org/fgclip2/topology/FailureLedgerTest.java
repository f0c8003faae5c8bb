package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.Stage;
import org.fgclip2.serialization.WireFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that failed a stream thread is dead-lettered when Kafka Streams reads it again, instead of failing the
 * thread forever; the failed publish of an output blames the input it came from; the environment's failures blame
 * nobody.
 */
class FailureLedgerTest {

    @TempDir
    Path tmp;

    private static ConsumedRecord at(long offset) {
        return new ConsumedRecord("fgclip2.images", 0, offset, 0L, null, null, List.of());
    }

    @Test
    void aRecordThatFailedItsThreadIsDeadLetteredTheNextTimeItComes() throws Exception {
        try (TopologyHarness h = new TopologyHarness(tmp, TopologyHarness.settings(Map.of("fetch.threads", "0")))) {
            h.defineLabel("default", "cat", null, "a cat");
            String uri = h.png("a.png", 32, 32);
            h.services.ledger().failed("fgclip2.images", 0, 1, Stage.PUBLISH, "its output was refused: too large");
            h.sendImage("first", uri);
            h.sendImage("poison", uri);
            h.sendImage("third", uri);
            h.pumpUntil(3);
            assertThat(h.labels()).extracting(ImageLabels::getImageId).containsExactlyInAnyOrder("first", "third");
            DeadLetter letter = h.deadLetters().get(0);
            assertThat(letter.getImageId()).isEqualTo("poison");
            assertThat(letter.getStage()).isEqualTo(Stage.PUBLISH);
            assertThat(letter.getReason()).contains("failed before").contains("too large");
            assertThat(h.services.ledger().isSuspect(at(1))).as("forgotten once dead-lettered").isFalse();
        }
    }

    @Test
    void aLabelDefinitionThatFailedItsThreadIsDeadLetteredTheNextTimeItComes() throws Exception {
        try (TopologyHarness h = new TopologyHarness(tmp, TopologyHarness.settings(Map.of("fetch.threads", "0")))) {
            h.services.ledger().failed("fgclip2.label-definitions", 0, 0, Stage.INFERENCE, "the text tower crashed");
            h.defineLabel("default", "cat", null, "a cat");
            h.defineLabel("default", "dog", null, "a dog");
            assertThat(h.captionsOut.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("dog");
            DeadLetter letter = h.deadLetters().get(0);
            assertThat(letter.getStage()).isEqualTo(Stage.INFERENCE);
            assertThat(letter.getReason()).contains("the text tower crashed");
        }
    }

    @Test
    void suspectsAreNotVerdictsButConclusiveFailuresAre() {
        FailureLedger ledger = new FailureLedger();
        ledger.suspect(at(1), Stage.INFERENCE, "its batch failed");
        assertThat(ledger.isSuspect(at(1))).isTrue();
        assertThat(ledger.verdict(at(1))).isNull();
        ledger.failed("fgclip2.images", 0, 1, Stage.INFERENCE, "alone, it failed again");
        assertThat(ledger.verdict(at(1)).reason()).isEqualTo("alone, it failed again");
        ledger.forget(at(1));
        assertThat(ledger.isSuspect(at(1))).isFalse();
    }

    @Test
    void theLedgerKeepsOnlyTheLatestFailures() {
        FailureLedger ledger = new FailureLedger();
        for (int i = 0; i <= FailureLedger.CAPACITY; i++) {
            ledger.failed("fgclip2.images", 0, i, Stage.DECODE, "x");
        }
        assertThat(ledger.verdict(at(0))).as("the eldest is dropped").isNull();
        for (int i = 1; i <= FailureLedger.CAPACITY; i++) {
            assertThat(ledger.verdict(at(i))).as("failure %d is kept", i).isNotNull();
        }
    }

    @Test
    void theEnvironmentIsNotARecordsFault() {
        assertThat(FailureLedger.isEnvironmental(new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                "down"))).isTrue();
        assertThat(FailureLedger.isEnvironmental(new WireFormatException(WireFormatException.Reason.AVRO_DECODE_FAILED,
                "bad"))).isFalse();
        assertThat(FailureLedger.isEnvironmental(new TaskMigratedException("moved")))
                .isTrue();
        assertThat(FailureLedger.isEnvironmental(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aRefusedOutputBlamesItsInputAndFailsTheThread() {
        FailureLedger ledger = new FailureLedger();
        PublishFailureHandler handler = new PublishFailureHandler();
        handler.configure(Map.of(PublishFailureHandler.LEDGER_CONFIG, ledger));
        ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("fgclip2.image-labels", null, null, new byte[0],
                new byte[0], OutputHeaders.of(at(7)));
        var response = handler.handleError(null, output, new RecordTooLargeException("too large"));
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(ledger.verdict(at(7)).stage()).isEqualTo(Stage.PUBLISH);
        assertThat(ledger.verdict(at(7)).reason()).contains("fgclip2.image-labels").contains("too large");

        ProducerRecord<byte[], byte[]> other = new ProducerRecord<>("fgclip2.image-labels", null, null, new byte[0],
                new byte[0], OutputHeaders.of(at(8)));
        handler.handleError(null, other, new NotEnoughReplicasException("brokers away"));
        assertThat(ledger.isSuspect(at(8))).as("a retriable failure blames nobody").isFalse();
    }
}
