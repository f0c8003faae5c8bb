package org.fgclip2.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fgclip2.serialization.testdata.TestSchemas.greetingV1;

import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.fgclip2.serialization.testdata.Greeting;
import org.junit.jupiter.api.Test;

/** The serdes inside Kafka Streams, with the in-memory registry as topology tests will use them. */
class ConfluentAvroSerdeTopologyTest {

    @Test
    void aTopologyReadsOldRecordsAndWritesNewOnes() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        ConfluentAvroSerdes avro = new ConfluentAvroSerdes(registry);
        Serde<Greeting> greetings = avro.specific(Greeting.class, false);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), greetings))
                .mapValues(greeting -> new Greeting(greeting.text().toUpperCase(), greeting.count() + 1, greeting.language()))
                .to("out", Produced.with(Serdes.String(), greetings));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "serde-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            TestInputTopic<String, GenericRecord> in =
                    driver.createInputTopic("in", Serdes.String().serializer(), avro.generic(false).serializer());
            TestOutputTopic<String, Greeting> out =
                    driver.createOutputTopic("out", Serdes.String().deserializer(), greetings.deserializer());

            in.pipeInput("k", greetingV1("hello", 1));

            assertThat(out.readValue()).isEqualTo(new Greeting("HELLO", 2, "en"));
        }
        assertThat(registry.subjects()).containsExactly("in-value", "out-value");
        assertThat(registry.latest("out-value").orElseThrow().schema()).isEqualTo(Greeting.SCHEMA$);
    }
}
