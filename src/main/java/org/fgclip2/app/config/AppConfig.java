package org.fgclip2.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;
import org.fgclip2.app.UserInputException;
import org.fgclip2.fetch.AddressPolicy;
import org.fgclip2.fetch.FetchLimits;
import org.fgclip2.fetch.FetchPolicy;
import org.fgclip2.inference.DeviceSpec;
import org.fgclip2.model.Precision;
import org.fgclip2.serialization.AvroSerdeConfig;
import org.fgclip2.serialization.SubjectNameStrategy;
import org.fgclip2.serialization.registry.RegistryAuth;
import org.fgclip2.serialization.registry.RegistryTls;
import org.fgclip2.serialization.registry.SchemaRegistryConfig;
import org.fgclip2.topology.BatchSettings;
import org.fgclip2.topology.LabelingSettings;
import org.fgclip2.topology.TopicNames;

/**
 * The effective configuration: explicitly set values over the defaults of {@link Settings}, read as typed values
 * with errors that name the key.
 */
public final class AppConfig {

    private final Map<String, String> explicit;

    public AppConfig(Map<String, String> explicit) {
        this.explicit = new TreeMap<>(explicit);
    }

    public static AppConfig load(Path file, Map<String, String> env) {
        return new AppConfig(ConfigSource.load(file, env));
    }

    /** A copy with some keys set (later wins). */
    public AppConfig with(Map<String, String> overrides) {
        Map<String, String> m = new TreeMap<>(explicit);
        m.putAll(overrides);
        return new AppConfig(m);
    }

    public Optional<String> get(String key) {
        Setting s = Settings.BY_KEY.get(key);
        if (s == null && !key.startsWith(Settings.KAFKA_PREFIX)) {
            throw new IllegalArgumentException("undeclared setting " + key);
        }
        String v = explicit.get(key);
        if (v == null || v.isEmpty()) {
            v = s == null ? null : s.defaultValue();
        }
        return Optional.ofNullable(v);
    }

    public String string(String key) {
        return get(key).orElseThrow(() -> new UserInputException("setting '" + key + "' is required"));
    }

    public int integer(String key) {
        String v = string(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("setting '" + key + "' must be a whole number, got '" + v + "'");
        }
    }

    public long longValue(String key) {
        String v = string(key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("setting '" + key + "' must be a whole number, got '" + v + "'");
        }
    }

    public boolean bool(String key) {
        String v = string(key).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new UserInputException("setting '" + key + "' must be true or false, got '" + v + "'");
        };
    }

    public float fraction(String key) {
        String v = string(key);
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("setting '" + key + "' must be a number, got '" + v + "'");
        }
    }

    public Duration duration(String key) {
        String v = string(key);
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("setting '" + key + "': " + e.getMessage());
        }
    }

    // ---- typed groups -------------------------------------------------------------------------------------

    public DeviceSpec device() {
        return wrap("model.device", () -> DeviceSpec.parse(string("model.device")));
    }

    public Precision precision() {
        return wrap("model.dtype", () -> Precision.parse(string("model.dtype")));
    }

    public TopicNames topics() {
        return new TopicNames(string("topics.images"), string("topics.label-definitions"),
                string("topics.caption-embeddings"), string("topics.image-labels"), string("topics.region-heatmaps"),
                string("topics.dead-letters"));
    }

    /** Kafka Streams properties: ours, then every {@code kafka.*} key as given. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, string("bootstrap.servers"));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, string("application.id"));
        String guarantee = string("processing.guarantee");
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new UserInputException("processing.guarantee must be exactly_once_v2 or at_least_once, got " + guarantee);
        }
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(integer("num.stream.threads")));
        get("http.advertised-address").ifPresent(a -> p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, a));
        get("state.dir").ifPresent(d -> p.put(StreamsConfig.STATE_DIR_CONFIG, d));
        // A batch is bounded by its own time budget; a poll hands at most a few batches' worth of records.
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), String.valueOf(4 * integer("batch.max-size")));
        // batches run from a punctuation, which an idle thread reaches only when its poll returns (default 100 ms)
        p.put(StreamsConfig.POLL_MS_CONFIG, String.valueOf(duration("batch.tick").toMillis()));
        p.put("processing.exception.handler.global.enabled", "true");
        explicit.forEach((k, v) -> {
            if (k.startsWith(Settings.KAFKA_PREFIX)) {
                p.put(k.substring(Settings.KAFKA_PREFIX.length()), v);
            }
        });
        return p;
    }

    /**
     * Properties of a plain Kafka client (producer, consumer or admin): {@code bootstrap.servers} and those
     * {@code kafka.*} keys the client knows, such as {@code security.protocol}, {@code sasl.*} and {@code ssl.*};
     * keys only Kafka Streams knows are left out.
     *
     * @param clientConfigNames e.g. {@code ProducerConfig.configNames()}
     */
    public Properties clientProperties(Set<String> clientConfigNames) {
        Properties p = new Properties();
        explicit.forEach((k, v) -> {
            String name = k.startsWith(Settings.KAFKA_PREFIX) ? k.substring(Settings.KAFKA_PREFIX.length()) : null;
            if (name != null && clientConfigNames.contains(name)) {
                p.put(name, v);
            }
        });
        p.put("bootstrap.servers", string("bootstrap.servers"));
        return p;
    }

    /** The consumer's {@code max.poll.interval.ms} as Kafka Streams will use it. */
    public Duration maxPollInterval() {
        return kafkaMillis("kafka.max.poll.interval.ms", "kafka.main.consumer.max.poll.interval.ms", 300_000);
    }

    /**
     * The producer's {@code transaction.timeout.ms} under exactly-once (Kafka Streams' default there is 10 s), empty
     * under at-least-once. A transaction spans the batches run between two commits: if it stays open longer, the
     * coordinator aborts it and fences the thread, whose work is then redone.
     */
    public Optional<Duration> transactionTimeout() {
        if (!string("processing.guarantee").equals(StreamsConfig.EXACTLY_ONCE_V2)) {
            return Optional.empty();
        }
        return Optional.of(kafkaMillis("kafka.producer.transaction.timeout.ms", "kafka.transaction.timeout.ms",
                10_000));
    }

    /** A Kafka client setting in milliseconds, as given under either of its two keys, else Kafka's default. */
    private Duration kafkaMillis(String key, String alternativeKey, long defaultMillis) {
        String v = explicit.getOrDefault(key, explicit.getOrDefault(alternativeKey, String.valueOf(defaultMillis)));
        try {
            return Duration.ofMillis(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new UserInputException(key + " must be a whole number of milliseconds");
        }
    }

    public BatchSettings batch() {
        Duration poll = maxPollInterval();
        Optional<Duration> transaction = transactionTimeout();
        Duration derived = poll.dividedBy(10);
        if (transaction.isPresent() && transaction.get().dividedBy(4).compareTo(derived) < 0) {
            derived = transaction.get().dividedBy(4);
        }
        Duration timeBudget = get("batch.time-budget").isPresent() ? duration("batch.time-budget") : derived;
        if (timeBudget.compareTo(poll.dividedBy(2)) > 0) {
            throw new UserInputException("batch.time-budget " + timeBudget.toMillis() + " ms must stay well under"
                    + " max.poll.interval.ms (" + poll.toMillis() + " ms): at most half of it");
        }
        if (transaction.isPresent() && timeBudget.compareTo(transaction.get().dividedBy(2)) > 0) {
            throw new UserInputException("batch.time-budget " + timeBudget.toMillis() + " ms must stay well under the"
                    + " transaction timeout (" + transaction.get().toMillis() + " ms) under exactly_once_v2: at most"
                    + " half of it; raise kafka.producer.transaction.timeout.ms for longer batches");
        }
        return wrap("batch.*", () -> new BatchSettings(integer("batch.max-size"), duration("batch.max-wait"),
                integer("batch.patch-budget"), timeBudget, duration("batch.tick"),
                integer("batch.max-patches-per-image")));
    }

    public LabelingSettings labeling() {
        return wrap("labels.* / heatmaps.*", () -> new LabelingSettings(topics(), batch(),
                fraction("labels.default-threshold"), bool("heatmaps.for-positive"), integer("heatmaps.max-per-image"),
                integer("heatmaps.preview-max-side"), integer("fetch.threads"), integer("http.recent-results")));
    }

    public AvroSerdeConfig avro() {
        SchemaRegistryConfig base = wrap("schema.registry.url",
                () -> SchemaRegistryConfig.forUrls(string("schema.registry.url")));
        RegistryAuth auth = RegistryAuth.none();
        Optional<String> userInfo = get("schema.registry.basic.auth.user.info");
        Optional<String> bearer = get("schema.registry.bearer.token");
        if (userInfo.isPresent() && bearer.isPresent()) {
            throw new UserInputException("set either schema.registry.basic.auth.user.info or schema.registry.bearer.token");
        }
        if (userInfo.isPresent()) {
            int colon = userInfo.get().indexOf(':');
            if (colon < 0) {
                throw new UserInputException("schema.registry.basic.auth.user.info must be user:password");
            }
            auth = RegistryAuth.basic(userInfo.get().substring(0, colon), userInfo.get().substring(colon + 1));
        } else if (bearer.isPresent()) {
            auth = RegistryAuth.bearer(bearer.get());
        }
        Optional<RegistryTls.Store> trust = store("truststore");
        Optional<RegistryTls.Store> key = store("keystore");
        Optional<RegistryTls> tls = trust.isEmpty() && key.isEmpty() ? Optional.empty()
                : Optional.of(new RegistryTls(trust, key));
        SchemaRegistryConfig registry = new SchemaRegistryConfig(base.urls(), auth, tls, base.connectTimeout(),
                base.requestTimeout(), base.maxRetries(), base.retryBackoff());
        SubjectNameStrategy strategy = switch (string("schema.registry.subject.name.strategy").toLowerCase(java.util.Locale.ROOT)) {
            case "topic", "topicnamestrategy" -> SubjectNameStrategy.TOPIC_NAME;
            case "record", "recordnamestrategy" -> SubjectNameStrategy.RECORD_NAME;
            case "topic-record", "topicrecordnamestrategy" -> SubjectNameStrategy.TOPIC_RECORD_NAME;
            default -> throw new UserInputException("schema.registry.subject.name.strategy must be topic, record or"
                    + " topic-record");
        };
        return new AvroSerdeConfig(registry, bool("schema.registry.auto.register"), strategy);
    }

    public FetchPolicy fetchPolicy() {
        Optional<String> hosts = get("fetch.allowed-hosts");
        java.util.Set<String> allowed = hosts.map(h -> java.util.Arrays.stream(h.split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).collect(java.util.stream.Collectors.toSet()))
                .orElse(java.util.Set.of());
        return wrap("fetch.*", () -> FetchPolicy.DEFAULTS
                .withTimeouts(duration("fetch.connect-timeout"), duration("fetch.read-timeout"))
                .withMaxBytes(longValue("fetch.max-bytes"))
                .withMaxRedirects(integer("fetch.max-redirects"))
                .withFileRoot(get("fetch.file-root").map(Path::of).orElse(null))
                .withAddresses(new AddressPolicy(bool("fetch.allow-loopback"), bool("fetch.allow-private"),
                        bool("fetch.allow-link-local"), allowed))
                .withLimits(new FetchLimits(integer("fetch.max-per-host"), integer("fetch.max-in-flight"),
                        duration("fetch.queue-timeout"))));
    }

    private Optional<RegistryTls.Store> store(String kind) {
        Optional<String> location = get("schema.registry.ssl." + kind + ".location");
        if (location.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RegistryTls.Store(Path.of(location.get()),
                get("schema.registry.ssl." + kind + ".password").orElse(""),
                string("schema.registry.ssl." + kind + ".type")));
    }

    /** Every effective setting (secrets masked), for start-up logs and --print-config. */
    public Map<String, String> effective() {
        Map<String, String> out = new TreeMap<>();
        for (Setting s : Settings.ALL) {
            get(s.key()).ifPresent(v -> out.put(s.key(), isSecret(s.key()) ? "****" : v));
        }
        explicit.forEach((k, v) -> {
            if (k.startsWith(Settings.KAFKA_PREFIX)) {
                out.put(k, isSecret(k) ? "****" : v);
            }
        });
        return out;
    }

    private static boolean isSecret(String key) {
        return key.contains("password") || key.contains("token") || key.contains("user.info")
                || key.contains("sasl.jaas");
    }

    private static <T> T wrap(String key, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (UserInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UserInputException("setting " + key + ": " + e.getMessage(), e);
        }
    }
}
