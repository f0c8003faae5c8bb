package org.fgclip2.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.fgclip2.testing.KafkaBrokerExtension;
import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.fgclip2.testing.PipelineFixture;
import org.fgclip2.testing.PromQl;
import org.fgclip2.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every metric the Grafana dashboard and the Prometheus alert rules use is exported by a running app: the real app
 * on a real broker and registry, after a few images and a bad one (so that series registered on first use exist),
 * its {@code /metrics} scraped as Prometheus does. A dashboard panel or an alert on a misspelt metric shows nothing
 * and never fires, silently.
 */
@ExtendWith(LocalSchemaRegistryExtension.class)
class MonitoringIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final Path DASHBOARD = Path.of("deploy/monitoring/fgclip2-dashboard.json");
    static final Path RULES = Path.of("deploy/monitoring/fgclip2-alerts.yml");
    /** Made by Prometheus for each target it scrapes, not by the app. */
    static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");
    /** The JVM and process metrics next to Kafka Streams' and the app's. */
    static final List<String> JVM = List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds_count",
            "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads", "jvm_threads_states_threads",
            "process_cpu_usage", "system_cpu_usage", "system_cpu_count", "jvm_classes_loaded_classes",
            "process_uptime_seconds", "process_files_open_files", "jvm_info");

    @TempDir
    Path dir;

    @Test
    void everyMetricOfTheDashboardAndTheAlertRulesIsExportedAlongsideTheJvmMetrics(LocalSchemaRegistry registry)
            throws Exception {
        Map<String, Set<String>> used = usedMetrics();
        assertThat(used).as("the extraction found the expressions").hasSizeGreaterThan(15);

        PipelineFixture fixture = new PipelineFixture(dir, KAFKA.bootstrapServers(), registry);
        try (LabelingApp app = LabelingApp.start(new AppConfig(fixture.settings("monitoring-it")))) {
            fixture.defineLabels("default", Map.of("cat", List.of("a photo of a cat"), "dog", List.of("a dog")), 0f);
            List<ImageEvent> events = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                events.add(PipelineFixture.event("img-" + i,
                        fixture.writeImage("img-" + i + ".png", TestImages.png(40 + 16 * i, 48, i))));
            }
            events.add(PipelineFixture.event("missing", fixture.images.resolve("nope.png").toUri().toString()));
            fixture.sendImages(events);
            assertThat(fixture.readLabels(4, Duration.ofSeconds(90))).hasSize(4);
            assertThat(fixture.readDeadLetters(1, Duration.ofSeconds(60))).hasSize(1);
            System.gc(); // the GC pause timers are registered on the first collection the JVM reports

            Set<String> fromApp = new TreeSet<>(used.keySet());
            fromApp.removeAll(MADE_BY_PROMETHEUS);
            Exposition scraped = scrapeUntil(app, fromApp);
            Map<String, Set<String>> missing = new TreeMap<>();
            used.forEach((name, where) -> {
                if (!MADE_BY_PROMETHEUS.contains(name) && !scraped.samples.contains(name)) {
                    missing.put(name, where);
                }
            });
            assertThat(missing).as("metrics used but not exported (where used); exported families: %s",
                    scraped.types.keySet()).isEmpty();

            for (String name : rated()) {
                assertThat(scraped.typeOf(name)).as("%s is under rate() or increase(): it must count", name)
                        .isIn("counter", "histogram", "summary");
            }
            for (String name : used.keySet()) {
                if (name.endsWith("_bucket")) {
                    assertThat(scraped.typeOf(name)).as("%s feeds histogram_quantile", name).isEqualTo("histogram");
                }
            }
            assertThat(scraped.samples).as("JVM metrics").containsAll(JVM);
            assertThat(scraped.text.lines().filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag_max{")
                    && l.matches(".*client_id=\".*-StreamThread-[0-9]+-consumer\".*")))
                    .as("the lag panel and alert select the stream threads' main consumers by client_id").isNotEmpty();
        }
    }

    /** Every metric name in the dashboard's and the rules' expressions, with where it is used. */
    static Map<String, Set<String>> usedMetrics() throws Exception {
        Map<String, Set<String>> used = new TreeMap<>();
        for (String[] e : expressions()) {
            for (String name : PromQl.metricNames(e[1])) {
                used.computeIfAbsent(name, n -> new TreeSet<>()).add(e[0]);
            }
        }
        return used;
    }

    private static Set<String> rated() throws Exception {
        Set<String> rated = new TreeSet<>();
        for (String[] e : expressions()) {
            rated.addAll(PromQl.rated(e[1]));
        }
        return rated;
    }

    /** (where, PromQL) pairs: each panel target and template query of the dashboard, each rule's expression. */
    static List<String[]> expressions() throws Exception {
        List<String[]> out = new ArrayList<>();
        collect(new ObjectMapper().readTree(DASHBOARD.toFile()), "dashboard", out);
        Map<String, Object> rules = new Yaml().load(Files.readString(RULES));
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                out.add(new String[] {"rule " + r.get("alert"), String.valueOf(r.get("expr"))});
            }
        }
        return out;
    }

    private static void collect(JsonNode node, String where, List<String[]> out) {
        if (node.isObject()) {
            String here = node.has("title") ? "panel '" + node.get("title").asText() + "'"
                    : node.has("name") ? "variable '" + node.get("name").asText() + "'" : where;
            node.fields().forEachRemaining(f -> {
                boolean promQl = f.getKey().equals("expr")
                        || f.getKey().equals("query") && here.startsWith("variable") && f.getValue().isTextual()
                        && !node.path("type").asText().equals("datasource");
                if (promQl && f.getValue().isTextual()) {
                    out.add(new String[] {"dashboard " + here, f.getValue().asText()});
                } else {
                    collect(f.getValue(), here, out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, where, out));
        }
    }

    /** The sample names and metric types of a scrape. */
    record Exposition(String text, Set<String> samples, Map<String, String> types) {

        static Exposition parse(String text) {
            Set<String> samples = new TreeSet<>();
            Map<String, String> types = new TreeMap<>();
            for (String line : text.lines().toList()) {
                if (line.startsWith("# TYPE ")) {
                    String[] p = line.split(" ");
                    types.put(p[2], p[3]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    samples.add(line.split("[{ ]", 2)[0]);
                }
            }
            return new Exposition(text, samples, types);
        }

        /** The type of the family a sample name belongs to (suffixes _total, _bucket, _sum, _count, _max). */
        String typeOf(String sample) {
            if (types.containsKey(sample)) {
                return types.get(sample);
            }
            for (String suffix : List.of("_total", "_bucket", "_sum", "_count", "_created")) {
                if (sample.endsWith(suffix)) {
                    String family = sample.substring(0, sample.length() - suffix.length());
                    if (types.containsKey(family)) {
                        return types.get(family);
                    }
                }
            }
            return "unknown";
        }
    }

    /** Scrapes until every used name is there or 30 s passed: consumer lag appears with the first fetch metrics. */
    private static Exposition scrapeUntil(LabelingApp app, Set<String> names) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            Exposition e = Exposition.parse(response.body());
            if (e.samples.containsAll(names) || System.nanoTime() > deadline) {
                return e;
            }
            Thread.sleep(500);
        }
    }
}
