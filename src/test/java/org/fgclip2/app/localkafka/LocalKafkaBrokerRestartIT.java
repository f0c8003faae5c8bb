package org.fgclip2.app.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A broker restart in the middle of a stream of records: clients reconnect and nothing is lost. */
class LocalKafkaBrokerRestartIT {

    private static final int RECORDS = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void clientsRecoverFromARestartWithoutLosingRecords() throws Exception {
        kafka.createTopic("events", 1);
        List<String> expected = IntStream.range(0, RECORDS).mapToObj(i -> "event-" + i).toList();
        CountDownLatch quarterAcknowledged = new CountDownLatch(RECORDS / 4);
        List<Exception> sendFailures = new CopyOnWriteArrayList<>();

        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> consumed = clients.submit(() -> consumeLive("events"));
            Future<?> produced = clients.submit(() -> produce(expected, quarterAcknowledged, sendFailures));

            assertThat(quarterAcknowledged.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            kafka.broker().restart();
            produced.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(sendFailures).isEmpty();
            assertThat(consumed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("values seen by the consumer that lived through the restart")
                    .containsExactlyElementsOf(expected);
        } finally {
            clients.shutdownNow();
        }
        assertThat(kafka.clients().consumeStrings("events", RECORDS, TIMEOUT))
                .as("values a new consumer reads from the restarted broker's log")
                .extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(expected);
    }

    /** Sends one record every 10 ms, counting acknowledgements down and collecting failures. */
    private static void produce(List<String> values, CountDownLatch acknowledged, List<Exception> failures) {
        try (var producer = new KafkaProducer<>(kafka.clients().producerConfig(), new StringSerializer(),
                new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>("events", value), (metadata, failure) -> {
                    if (failure != null) {
                        failures.add(failure);
                    }
                    acknowledged.countDown();
                });
                sleep(Duration.ofMillis(10));
            }
            producer.flush();
        }
    }

    /** Reads with a fixed assignment, so its position survives the broker restart without a group rebalance. */
    private static List<String> consumeLive(String topic) {
        Map<String, Object> config = kafka.clients().consumerConfig();
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<String> values = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (values.size() < RECORDS && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        }
    }
}
