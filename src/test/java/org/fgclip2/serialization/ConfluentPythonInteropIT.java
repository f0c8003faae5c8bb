package org.fgclip2.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Paths;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.serialization.testdata.Greeting;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our serdes and Confluent's own Python client read each other's records through the same real registry.
 * Needs {@value ConfluentPythonClient#APT_PACKAGES} from apt; fails (not skips) without them.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class ConfluentPythonInteropIT {

    private final LocalSchemaRegistry registry;
    private final ConfluentPythonClient python = ConfluentPythonClient.find();

    ConfluentPythonInteropIT(LocalSchemaRegistry registry) {
        this.registry = registry;
    }

    @Test
    void confluentReadsWhatWeWrite() throws Exception {
        Greeting greeting = new Greeting("héllo, 你好", 42, "fr");
        byte[] payload = serdes().specific(Greeting.class, false).serializer().serialize("interop-from-java", greeting);

        JsonNode decoded = new ObjectMapper().readTree(python.decode(url(), payload));

        assertThat(decoded.get("text").asText()).isEqualTo("héllo, 你好");
        assertThat(decoded.get("count").asInt()).isEqualTo(42);
        assertThat(decoded.get("language").asText()).isEqualTo("fr");
        assertThat(decoded.size()).isEqualTo(3);
    }

    @Test
    void weReadWhatConfluentWrites() {
        byte[] payload = python.encode(url(), "interop-from-python", Paths.get("src/test/resources/avro/greeting-v1.avsc"),
                "{\"text\": \"from Python, 你好\", \"count\": 7}");

        Greeting read = serdes().specific(Greeting.class, false).deserializer().deserialize("interop-from-python", payload);

        assertThat(read).isEqualTo(new Greeting("from Python, 你好", 7, "en"));
        int registeredId = serdes().registry().latest("interop-from-python-value").orElseThrow().id();
        assertThat(payload[0]).isZero();
        assertThat(ByteBuffer.wrap(payload, 1, 4).getInt()).isEqualTo(registeredId);
    }

    private String url() {
        return registry.url().toString();
    }

    private ConfluentAvroSerdes serdes() {
        return ConfluentAvroSerdes.connect(AvroSerdeConfig.forRegistry(url()));
    }
}
