package org.fgclip2.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class AppConfigClientPropertiesTest {

    @Test
    void plainClientsGetTheBootstrapServersAndTheKafkaKeysTheyKnow() {
        AppConfig config = new AppConfig(Map.of(
                "bootstrap.servers", "kafka-1:9093",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.ssl.truststore.location", "/etc/kafka/truststore.p12",
                "kafka.num.stream.threads", "4",
                "kafka.main.consumer.max.poll.records", "10"));

        Properties p = config.clientProperties(ProducerConfig.configNames());

        assertThat(p).containsOnly(
                Map.entry("bootstrap.servers", "kafka-1:9093"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "PLAIN"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"));
    }

    @Test
    void theDefaultBootstrapServersApplyWhenNoneAreSet() {
        assertThat(new AppConfig(Map.of()).clientProperties(ProducerConfig.configNames()))
                .containsOnly(Map.entry("bootstrap.servers", "localhost:9092"));
    }
}
