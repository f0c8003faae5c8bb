package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.LabelDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With JSON logs (the production log4j2.xml with the property that {@code log.format=json} sets), every line the
 * console writes is one JSON object, and a line about one record says which image or label, which task and which trace.
 */
class JsonLogLinesTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @TempDir
    Path tmp;

    @Test
    void deadLettersOfImagesAndLabelsAreLoggedAsJsonWithTheirRecordsFields() throws Exception {
        String lines = jsonStderr(() -> {
            try (TopologyHarness h = new TopologyHarness(tmp, TopologyHarness.settings(Map.of("fetch.threads", "0")))) {
                h.defineLabel("default", "dog", null, "a dog");
                h.sendImage(ImageEvent.newBuilder().setId("missing").setUri(h.images.resolve("nope.png").toUri()
                        .toString()).build(), new RecordHeaders().add("traceparent", TRACEPARENT.getBytes()));
                h.pumpUntil(1);
                h.define("cat", LabelDefinition.newBuilder().setLabelId("not-cat").setLabelSet("default")
                        .setPrompts(List.of("a cat")).build(), new RecordHeaders());
            }
        });

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = json.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                assertThat(node.get("time").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(node.get("level").asText()).as(line).isNotBlank();
                assertThat(node.get("logger").asText()).as(line).isNotBlank();
                events.add(node);
            }
        }
        JsonNode image = only(events, "dead letter FETCH");
        assertThat(image.get("image_id").asText()).isEqualTo("missing");
        assertThat(image.get("task").asText()).matches("\\d+_0");
        assertThat(image.get("trace_id").asText()).isEqualTo(TRACE_ID);
        assertThat(image.get("thread").asText()).isNotBlank();

        JsonNode label = only(events, "dead letter DESERIALIZE");
        assertThat(label.get("label_id").asText()).isEqualTo("cat");
        assertThat(label.get("task").asText()).matches("\\d+_0");
        assertThat(label.has("trace_id") && !label.get("trace_id").isNull()).as("no traceparent, no trace id")
                .isFalse();
        assertThat(label.has("image_id") && !label.get("image_id").isNull()).isFalse();
    }

    private static JsonNode only(List<JsonNode> events, String messageStart) {
        List<JsonNode> found = events.stream().filter(e -> e.get("message").asText().startsWith(messageStart))
                .toList();
        assertThat(found).as(messageStart).hasSize(1);
        return found.get(0);
    }

    private interface Work {
        void run() throws Exception;
    }

    /**
     * What {@code work} logs with JSON logs, as the console appender writes it: its own layout, serialised by a
     * second appender beside it (the console's stream is the one stderr was when logging started).
     */
    private static String jsonStderr(Work work) throws Exception {
        StringBuilder captured = new StringBuilder();
        System.setProperty("fgclip2.log.format", "json");
        Configurator.reconfigure();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Layout<?> layout = config.<Appender>getAppender("console").getLayout();
        Appender capture = new AbstractAppender("capture", null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                synchronized (captured) {
                    captured.append(new String(getLayout().toByteArray(event), StandardCharsets.UTF_8));
                }
            }
        };
        capture.start();
        config.getRootLogger().addAppender(capture, null, null);
        context.updateLoggers();
        try {
            work.run();
        } finally {
            System.clearProperty("fgclip2.log.format");
            Configurator.reconfigure();
        }
        synchronized (captured) {
            return captured.toString();
        }
    }
}
