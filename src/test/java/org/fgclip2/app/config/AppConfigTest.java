package org.fgclip2.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.fetch.FetchLimits;
import org.fgclip2.fetch.FetchPolicy;
import org.fgclip2.heatmap.ColorScale;
import org.fgclip2.inference.DeviceSpec;
import org.fgclip2.model.Precision;
import org.fgclip2.topology.RelabelSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsApplyWhenNothingIsSet() {
        AppConfig c = AppConfig.load(null, Map.of());
        assertThat(c.string("model")).isEqualTo("qihoo360/fg-clip2-base");
        assertThat(c.device()).isEqualTo(DeviceSpec.AUTO);
        assertThat(c.precision()).isEqualTo(Precision.F32);
        Properties p = c.streamsProperties();
        assertThat(p.getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(p.getProperty("poll.ms")).as("an idle thread wakes for its batches every tick").isEqualTo("10");
        assertThat(c.batch().timeBudget()).as("a quarter of Kafka Streams' exactly-once transaction timeout (10 s)")
                .isEqualTo(Duration.ofMillis(2500));
        assertThat(c.topics().images()).isEqualTo("fgclip2.images");
        assertThat(c.fetchPolicy().fileRoot()).isNull();
    }

    @Test
    void yamlNestsIntoDottedKeysAndTheEnvironmentOverridesTheFile() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("app.yaml"), """
                bootstrap.servers: kafka:9092
                batch:
                  max-size: 16
                  max-wait: 250ms
                topics:
                  images: my.images
                kafka:
                  num.stream.threads: 2
                  max.poll.interval.ms: 600000
                fetch:
                  allowed-hosts: [images.example.com, "*.cdn.example.com"]
                """);
        AppConfig c = AppConfig.load(yaml, Map.of("FGCLIP2_BATCH_MAX_SIZE", "8", "FGCLIP2_KAFKA_COMMIT_INTERVAL_MS", "250"));
        assertThat(c.batch().maxSize()).as("env wins").isEqualTo(8);
        assertThat(c.batch().maxWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.batch().timeBudget()).as("the transaction timeout is the tighter bound").isEqualTo(Duration.ofMillis(2500));
        assertThat(c.topics().images()).isEqualTo("my.images");
        Properties p = c.streamsProperties();
        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("kafka:9092");
        assertThat(p.getProperty("num.stream.threads")).isEqualTo("2");
        assertThat(p.getProperty("commit.interval.ms")).isEqualTo("250");
        assertThat(c.fetchPolicy().addresses().allowedHosts()).containsExactlyInAnyOrder("images.example.com",
                "*.cdn.example.com");
    }

    @Test
    void theTimeBudgetFollowsThePollIntervalAndTheTransactionTimeout() {
        assertThat(AppConfig.load(null, Map.of("FGCLIP2_PROCESSING_GUARANTEE", "at_least_once")).batch().timeBudget())
                .as("no transactions: a tenth of max.poll.interval.ms").isEqualTo(Duration.ofSeconds(30));
        assertThat(AppConfig.load(null, Map.of("FGCLIP2_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", "120000",
                "FGCLIP2_KAFKA_MAX_POLL_INTERVAL_MS", "600000")).batch().timeBudget()).isEqualTo(Duration.ofSeconds(30));
        assertThat(AppConfig.load(null, Map.of("FGCLIP2_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", "120000"))
                .batch().timeBudget()).as("the poll interval is the tighter bound").isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_BATCH_TIME_BUDGET", "8s")).batch())
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("transaction timeout (10000 ms)")
                .hasMessageContaining("kafka.producer.transaction.timeout.ms");
        assertThat(AppConfig.load(null, Map.of("FGCLIP2_BATCH_TIME_BUDGET", "8s", "FGCLIP2_PROCESSING_GUARANTEE",
                "at_least_once")).batch().timeBudget()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void propertiesFilesWorkToo() throws Exception {
        Path props = Files.writeString(tmp.resolve("app.properties"), "model=/models/base\nmodel.dtype=f16\n");
        AppConfig c = AppConfig.load(props, Map.of());
        assertThat(c.string("model")).isEqualTo("/models/base");
        assertThat(c.precision()).isEqualTo(Precision.F16);
    }

    @Test
    void mistakesAreRefusedWithTheKeyNamed() throws Exception {
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "batch.max-sise: 3\n");
        assertThatThrownBy(() -> AppConfig.load(typo, Map.of())).isInstanceOf(UserInputException.class)
                .hasMessageContaining("batch.max-sise");
        assertThatThrownBy(() -> AppConfig.load(tmp.resolve("missing.yaml"), Map.of()))
                .isInstanceOf(UserInputException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_BATCH_MAX_SIZE", "many")).batch())
                .isInstanceOf(UserInputException.class).hasMessageContaining("batch.max-size");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_BATCH_MAX_WAIT", "soon")).batch())
                .hasMessageContaining("batch.max-wait");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_BATCH_TIME_BUDGET", "10m")).batch())
                .hasMessageContaining("max.poll.interval.ms");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_PROCESSING_GUARANTEE", "maybe")).streamsProperties())
                .hasMessageContaining("exactly_once_v2");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_MODEL_DEVICE", "tpu")).device())
                .hasMessageContaining("model.device");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "nocolon")).avro())
                .hasMessageContaining("user:password");
    }

    @Test
    void validateRefusesABadValueNamingTheKeyTheVariableAndTheValue() {
        AppConfig.load(null, Map.of()).validate();
        Map<String, String> cases = Map.of(
                "batch.max-size", "abc",
                "batch.max-wait", "soon",
                "topics.create", "maybe",
                "group.heartbeat-interval", "5s",
                "http.port", "70000",
                "bootstrap.servers", "kafka-without-port",
                "topics.images", "images?");
        cases.forEach((key, value) -> {
            String variable = Settings.BY_KEY.get(key).environmentVariable();
            assertThatThrownBy(() -> AppConfig.load(null, Map.of(variable, value)).validate()).as(key)
                    .isInstanceOf(UserInputException.class)
                    .hasMessageContaining("'" + key + "'").hasMessageContaining(variable).hasMessageContaining(value);
        });
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_GROUP_HEARTBEAT_INTERVAL", "5s")).validate())
                .hasMessageContaining("a third of group.session-timeout (10000 ms)");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_KAFKA_COMMIT_INTERVAL_MS", "soon")).validate())
                .as("Kafka Streams' own settings are checked too").isInstanceOf(UserInputException.class)
                .hasMessageContaining("commit.interval.ms").hasMessageContaining("soon");
    }

    /**
     * A value no typed setting accepts must be refused for every setting that has a type: a new setting that
     * {@code validate()} forgets would otherwise fail only after the model has loaded.
     */
    @Test
    void validateReadsEverySettingThatHasAType() {
        Set<String> accepted = new TreeSet<>();
        for (Setting s : Settings.ALL) {
            try {
                AppConfig.load(null, Map.of(s.environmentVariable(), "x?")).validate();
                accepted.add(s.key());
            } catch (UserInputException e) {
                assertThat(e.getMessage()).as(s.key()).contains(s.key().contains(".ssl.") ? "schema.registry.ssl"
                        : s.key());
            }
        }
        assertThat(accepted).as("free text: names, paths, host names, secrets (the key stores are read once their"
                + " location is set)").containsExactlyInAnyOrder("model", "state.dir", "heatmaps.dir", "fetch.file-root",
                "fetch.allowed-hosts", "http.host", "schema.registry.bearer.token", "schema.registry.ssl.truststore.password",
                "schema.registry.ssl.truststore.type", "schema.registry.ssl.keystore.password",
                "schema.registry.ssl.keystore.type");
    }

    @Test
    void secretsAreMaskedInTheEffectiveConfiguration() {
        AppConfig c = AppConfig.load(null, Map.of("FGCLIP2_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "me:secret",
                "FGCLIP2_KAFKA_SASL_JAAS_CONFIG", "x required password=\"p\";"));
        assertThat(c.effective().toString()).doesNotContain("secret").doesNotContain("password=");
        assertThat(c.avro().registry().auth().authorizationHeader()).isPresent();
    }

    @Test
    void fetchSettingsBuildThePolicy() {
        AppConfig c = AppConfig.load(null, Map.of("FGCLIP2_FETCH_FILE_ROOT", tmp.toString(),
                "FGCLIP2_FETCH_ALLOW_LOOPBACK", "true", "FGCLIP2_FETCH_MAX_BYTES", "1024"));
        FetchPolicy p = c.fetchPolicy();
        assertThat(p.fileRoot()).isEqualTo(tmp);
        assertThat(p.addresses().allowLoopback()).isTrue();
        assertThat(p.addresses().allowLinkLocal()).isFalse();
        assertThat(p.maxBytes()).isEqualTo(1024);
        assertThat(p.limits()).isEqualTo(new FetchLimits(16, 256, Duration.ofSeconds(60)));
    }

    @Test
    void theHeatmapColourScaleIsPerMapUnlessARangeIsSet() {
        assertThat(new AppConfig(Map.of()).labeling().heatmapScale()).isEqualTo(ColorScale.auto());
        AppConfig fixed = AppConfig.load(null, Map.of("FGCLIP2_HEATMAPS_COLOR_SCALE", "0.05..0.35"));
        assertThat(fixed.labeling().heatmapScale()).isEqualTo(ColorScale.fixed(0.05, 0.35));
        for (String bad : new String[] {"0.4..0.1", "0.1-0.4", "hot"}) {
            assertThatThrownBy(() -> new AppConfig(Map.of("heatmaps.color-scale", bad)).validate())
                    .as(bad).isInstanceOf(UserInputException.class).hasMessageContaining("heatmaps.color-scale");
        }
    }

    @Test
    void reLabellingIsOnByDefaultAndItsSettingsComeFromTheEnvironment() {
        RelabelSettings defaults = new AppConfig(Map.of()).labeling().relabel();
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.emit()).isEqualTo(RelabelSettings.Emit.CHANGED);
        AppConfig c = AppConfig.load(null, Map.of("FGCLIP2_RELABEL_EMIT", "ALL", "FGCLIP2_RELABEL_MAX_IMAGES", "0",
                "FGCLIP2_RELABEL_WINDOW", "2h", "FGCLIP2_RELABEL_DELAY", "0s"));
        assertThat(c.labeling().relabel()).isEqualTo(new RelabelSettings(0, Duration.ofHours(2),
                RelabelSettings.Emit.ALL, Duration.ZERO));
        for (Map.Entry<String, String> bad : Map.of("relabel.emit", "sometimes", "relabel.window", "0s",
                "relabel.max-images", "-1").entrySet()) {
            assertThatThrownBy(() -> new AppConfig(Map.of(bad.getKey(), bad.getValue())).validate())
                    .as(bad.toString()).isInstanceOf(UserInputException.class).hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void fetchLimitsAreSettingsAndOneHostMayNotTakeEverySlot() {
        AppConfig c = AppConfig.load(null, Map.of("FGCLIP2_FETCH_MAX_PER_HOST", "4",
                "FGCLIP2_FETCH_MAX_IN_FLIGHT", "32", "FGCLIP2_FETCH_QUEUE_TIMEOUT", "5s"));
        assertThat(c.fetchPolicy().limits()).isEqualTo(new FetchLimits(4, 32, Duration.ofSeconds(5)));

        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_FETCH_MAX_IN_FLIGHT", "8")).fetchPolicy())
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("maxPerHost 16 is above maxInFlight 8");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_FETCH_QUEUE_TIMEOUT", "soon")).fetchPolicy())
                .hasMessageContaining("fetch.queue-timeout");
    }

    @Test
    void theS3HeatmapStoreNeedsABucketAndSaysWhichSettingIsWrong() {
        assertThat(AppConfig.load(null, Map.of()).heatmapS3()).as("local is the default").isEmpty();
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_HEATMAPS_STORE", "s3")).validate())
                .isInstanceOf(UserInputException.class).hasMessageContaining("FGCLIP2_HEATMAPS_S3_BUCKET")
                .hasMessageContaining("existing bucket");
        assertThatThrownBy(() -> AppConfig.load(null, Map.of("FGCLIP2_HEATMAPS_STORE", "gcs")).validate())
                .hasMessageContaining("heatmaps.store").hasMessageContaining("local or s3");
        Map<String, String> s3 = Map.of("FGCLIP2_HEATMAPS_STORE", "s3", "FGCLIP2_HEATMAPS_S3_BUCKET", "maps",
                "FGCLIP2_HEATMAPS_S3_ENDPOINT", "http://minio:9000", "FGCLIP2_HEATMAPS_S3_PATH_STYLE", "true",
                "FGCLIP2_HEATMAPS_S3_PRESIGN_TTL", "24h");
        var settings = AppConfig.load(null, s3).heatmapS3().orElseThrow();
        assertThat(settings.endpoint()).contains(java.net.URI.create("http://minio:9000"));
        assertThat(settings.prefix()).isEqualTo("heatmaps/");
        assertThat(settings.presignTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.pathStyle()).isTrue();
        var tooLong = new java.util.HashMap<>(s3);
        tooLong.put("FGCLIP2_HEATMAPS_S3_PRESIGN_TTL", "169h");
        assertThatThrownBy(() -> AppConfig.load(null, tooLong).validate())
                .hasMessageContaining("heatmaps.s3.presign-ttl").hasMessageContaining("168h");
        var withPath = new java.util.HashMap<>(s3);
        withPath.put("FGCLIP2_HEATMAPS_S3_ENDPOINT", "http://minio:9000/maps");
        assertThatThrownBy(() -> AppConfig.load(null, withPath).validate())
                .hasMessageContaining("heatmaps.s3.endpoint").hasMessageContaining("no path");
    }

    @Test
    void everySettingIsDocumentedWithItsVariable() {
        String table = Settings.markdownTable();
        for (Setting s : Settings.ALL) {
            assertThat(table).contains("`" + s.key() + "`").contains(s.environmentVariable());
        }
    }
}
