package org.fgclip2.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.fetch.AddressPolicy;
import org.fgclip2.fetch.FetchLimits;
import org.fgclip2.fetch.FetchPolicy;
import org.fgclip2.heatmap.ColorScale;
import org.fgclip2.heatmap.s3.S3HeatmapSettings;
import org.fgclip2.image.ImageLimits;
import org.fgclip2.inference.DeviceSpec;
import org.fgclip2.model.Precision;
import org.fgclip2.serialization.AvroSerdeConfig;
import org.fgclip2.serialization.SubjectNameStrategy;
import org.fgclip2.serialization.registry.RegistryAuth;
import org.fgclip2.serialization.registry.RegistryTls;
import org.fgclip2.serialization.registry.SchemaRegistryConfig;
import org.fgclip2.topology.ActionOrder;
import org.fgclip2.topology.BatchSettings;
import org.fgclip2.topology.EmbeddingCacheSettings;
import org.fgclip2.topology.RegionSettings;
import org.fgclip2.topology.RelabelSettings;
import org.fgclip2.topology.LabelLimits;
import org.fgclip2.topology.LabelingSettings;
import org.fgclip2.topology.OutputLimits;
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
        return get(key).orElseThrow(() -> new UserInputException("setting " + named(key) + " is required"));
    }

    public int integer(String key) {
        String v = string(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("setting " + named(key) + " must be a whole number, got '" + v + "'");
        }
    }

    public long longValue(String key) {
        String v = string(key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("setting " + named(key) + " must be a whole number, got '" + v + "'");
        }
    }

    public boolean bool(String key) {
        String v = string(key);
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new UserInputException("setting " + named(key) + " must be true or false, got '" + v
                    + "'");
        };
    }

    public float fraction(String key) {
        String v = string(key);
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("setting " + named(key) + " must be a number, got '" + v + "'");
        }
    }

    public Duration duration(String key) {
        String v = string(key);
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("setting " + named(key) + ": " + e.getMessage());
        }
    }

    /**
     * Reads every setting as the application will, so that a bad value fails at once, naming its key, its variable
     * and the value, rather than after the model has loaded (minutes, with a download) or in the middle of a run.
     */
    public void validate() {
        device();
        precision();
        if (get("model.threads").isPresent()) {
            atLeast("model.threads", 1);
        }
        bootstrapServers();
        positive("bootstrap.timeout");
        get("http.advertised-address").ifPresent(address -> checkHostPort("http.advertised-address", address));
        kafkaStreamsConfig();
        labeling();
        avro().registry().tls().ifPresent(tls -> wrap(named("schema.registry.ssl.*"), tls::sslContext));
        fetchPolicy();
        heatmapStore();
        topic("topics.image-embeddings"); // checked even while embeddings.publish is off, so turning it on cannot fail
        topic("topics.embedding-cache");
        bool("topics.create");
        atLeast("topics.partitions", 1);
        between("topics.replication", 1, Short.MAX_VALUE);
        atLeast("streams.max-thread-failures", 0);
        positive("streams.thread-failure-window");
        between("image.max-pixels", 1, Long.MAX_VALUE);
        imageLimits();
        between("http.port", -1, 65535);
        positive("log.progress-interval");
        logFormat();
    }

    /** {@code key} and the environment variable that sets it, for error messages. */
    private static String named(String key) {
        return "'" + key + "' (" + Setting.envName(key) + ")";
    }

    private int atLeast(String key, int min) {
        return (int) between(key, min, Integer.MAX_VALUE);
    }

    private long between(String key, long min, long max) {
        long v = longValue(key);
        if (v < min || v > max) {
            throw new UserInputException("setting " + named(key) + " must be " + (v < min ? "at least " + min
                    : "at most " + max) + ", got '" + string(key) + "'");
        }
        return v;
    }

    private Duration positive(String key) {
        Duration d = duration(key);
        if (d.isZero()) {
            throw new UserInputException("setting " + named(key) + " must be longer than 0, got '" + string(key) + "'");
        }
        return d;
    }

    /** {@code bootstrap.servers} as host:port pairs; whether the hosts resolve and answer is checked at start. */
    private void bootstrapServers() {
        for (String server : string("bootstrap.servers").split(",")) {
            checkHostPort("bootstrap.servers", server.trim());
        }
    }

    private void checkHostPort(String key, String value) {
        if (Utils.getHost(value) == null || Utils.getPort(value) == null) {
            throw new UserInputException("setting " + named(key) + " must be host:port" + (key.equals("bootstrap.servers")
                    ? "[,host:port...]" : "") + ", got '" + string(key) + "'");
        }
    }

    /** Kafka Streams' own checks of what it is given, the {@code kafka.*} keys included. */
    private void kafkaStreamsConfig() {
        try {
            new StreamsConfig(streamsProperties());
        } catch (ConfigException e) {
            throw new UserInputException("Kafka Streams refuses its configuration: " + e.getMessage() + " (set through"
                    + " kafka.* keys, FGCLIP2_KAFKA_* variables)", e);
        }
    }

    // ---- typed groups -------------------------------------------------------------------------------------

    /** {@code text} or {@code json}. */
    public String logFormat() {
        String format = string("log.format").trim().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new UserInputException("setting " + named("log.format") + " must be text or json, got '"
                    + string("log.format") + "'");
        }
        return format;
    }

    public DeviceSpec device() {
        return wrap(named("model.device"), () -> DeviceSpec.parse(string("model.device")));
    }

    public Precision precision() {
        return wrap(named("model.dtype"), () -> Precision.parse(string("model.dtype")));
    }

    public TopicNames topics() {
        return new TopicNames(topic("topics.images"), topic("topics.label-definitions"),
                topic("topics.caption-embeddings"), topic("topics.image-labels"), topic("topics.region-heatmaps"),
                topic("topics.dead-letters"), bool("embeddings.publish") ? topic("topics.image-embeddings") : null,
                embeddingCache().enabled() ? topic("topics.embedding-cache") : null);
    }

    public EmbeddingCacheSettings embeddingCache() {
        return wrap("embeddings.cache.*", () -> new EmbeddingCacheSettings(atLeast("embeddings.cache.max-entries", 0),
                positive("embeddings.cache.max-age")));
    }

    public RegionSettings regions() {
        return wrap("regions.*", () -> new RegionSettings(atLeast("regions.max-per-image", 0),
                atLeast("regions.top-labels", 1)));
    }

    public RelabelSettings relabel() {
        Duration delay = duration("relabel.delay");
        RelabelSettings.Emit emit = wrap(named("relabel.emit"), () -> RelabelSettings.Emit.parse(string("relabel.emit")));
        return wrap("relabel.*", () -> new RelabelSettings(atLeast("relabel.max-images", 0),
                positive("relabel.window"), emit, delay));
    }

    private String topic(String key) {
        String name = string(key).trim();
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            throw new UserInputException("setting " + named(key) + ": " + e.getMessage(), e);
        }
        return name;
    }

    /** Kafka Streams properties: ours, then every {@code kafka.*} key as given. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, string("bootstrap.servers"));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        String guarantee = string("processing.guarantee");
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new UserInputException("setting " + named("processing.guarantee") + " must be exactly_once_v2 or"
                    + " at_least_once, got '" + guarantee + "'");
        }
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(atLeast("num.stream.threads", 1)));
        get("http.advertised-address").ifPresent(a -> p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, a));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        // Static membership: a restarted instance takes its partitions back without a rebalance.
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId());
        Duration session = positive("group.session-timeout");
        Duration heartbeat = positive("group.heartbeat-interval");
        if (heartbeat.multipliedBy(3).compareTo(session) > 0) {
            throw new UserInputException("setting " + named("group.heartbeat-interval") + " must be at most a third"
                    + " of group.session-timeout (" + session.toMillis() + " ms), got '"
                    + string("group.heartbeat-interval") + "'");
        }
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(session.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(heartbeat.toMillis()));
        // A batch is bounded by its own time budget; a poll hands at most a few batches' worth of records.
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), String.valueOf(4 * atLeast("batch.max-size", 1)));
        // batches run from a punctuation, which an idle thread reaches only when its poll returns (default 100 ms)
        p.put(StreamsConfig.POLL_MS_CONFIG, String.valueOf(positive("batch.tick").toMillis()));
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

    /** The application id, which Kafka Streams prefixes its internal topics with: it must be a legal topic name. */
    public String applicationId() {
        String id = string("application.id").trim();
        try {
            Topic.validate(id);
        } catch (InvalidTopicException e) {
            throw new UserInputException("setting " + named("application.id") + " names Kafka Streams' internal"
                    + " topics, so it must be a valid topic name: " + e.getMessage(), e);
        }
        return id;
    }

    /** Kafka Streams' state directory: {@code state.dir}, else Kafka's own default. */
    public Path stateDir() {
        return Path.of(get("state.dir").orElse(Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams")
                .toString())).toAbsolutePath().normalize();
    }

    /**
     * The static membership id: {@code instance.id}, else the host name and a hash of the state directory. Unique
     * because Kafka Streams lets only one instance use a state directory, and stable across restarts of an
     * instance that keeps its state directory, which is what lets a restarted instance rejoin at once.
     */
    public String instanceId() {
        Optional<String> configured = get("instance.id");
        if (configured.isPresent()) {
            String id = configured.get().trim();
            try {
                JoinGroupRequest.validateGroupInstanceId(id);
            } catch (InvalidConfigurationException e) {
                throw new UserInputException("setting " + named("instance.id") + ": " + e.getMessage(), e);
            }
            return id;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "fgclip2";
        }
        String dir = stateDir().toString();
        return host.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + HexFormat.of().toHexDigits(dir.hashCode());
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

    /**
     * The producer's {@code max.request.size} as Kafka Streams will use it: the largest record it sends (Kafka's
     * default 1 MiB).
     */
    public int maxRequestSize() {
        return (int) kafkaNumber("kafka.producer.max.request.size", "kafka.max.request.size",
                OutputLimits.KAFKA_DEFAULT, "bytes");
    }

    /** A Kafka client setting in milliseconds, as given under either of its two keys, else Kafka's default. */
    private Duration kafkaMillis(String key, String alternativeKey, long defaultMillis) {
        return Duration.ofMillis(kafkaNumber(key, alternativeKey, defaultMillis, "milliseconds"));
    }

    /** A numeric Kafka client setting, as given under either of its two keys, else Kafka's default. */
    private long kafkaNumber(String key, String alternativeKey, long defaultValue, String unit) {
        String given = explicit.containsKey(key) ? key : alternativeKey;
        String v = explicit.getOrDefault(given, String.valueOf(defaultValue));
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("setting " + named(given) + " must be a whole number of " + unit + ", got '"
                    + v + "'");
        }
    }

    public BatchSettings batch() {
        Duration poll = maxPollInterval();
        Optional<Duration> transaction = transactionTimeout();
        Duration derived = poll.dividedBy(10);
        if (transaction.isPresent() && transaction.get().dividedBy(4).compareTo(derived) < 0) {
            derived = transaction.get().dividedBy(4);
        }
        Duration timeBudget = get("batch.time-budget").isPresent() ? positive("batch.time-budget") : derived;
        if (timeBudget.compareTo(poll.dividedBy(2)) > 0) {
            throw new UserInputException("setting " + named("batch.time-budget") + " = " + timeBudget.toMillis()
                    + " ms must stay well under max.poll.interval.ms (" + poll.toMillis() + " ms): at most half of it");
        }
        if (transaction.isPresent() && timeBudget.compareTo(transaction.get().dividedBy(2)) > 0) {
            throw new UserInputException("setting " + named("batch.time-budget") + " = " + timeBudget.toMillis()
                    + " ms must stay well under the transaction timeout (" + transaction.get().toMillis() + " ms)"
                    + " under exactly_once_v2: at most half of it; raise kafka.producer.transaction.timeout.ms for"
                    + " longer batches");
        }
        return wrap("batch.*", () -> new BatchSettings(atLeast("batch.max-size", 1), duration("batch.max-wait"),
                atLeast("batch.patch-budget", 1), timeBudget, positive("batch.tick"),
                atLeast("batch.max-patches-per-image", 1), atLeast("batch.max-in-progress", 1)));
    }

    public LabelingSettings labeling() {
        float threshold = fraction("labels.default-threshold");
        ActionOrder actionOrder = wrap(named("labels.action-order"),
                () -> ActionOrder.parse(string("labels.action-order")));
        if (!(threshold >= 0f && threshold <= 1f)) {
            throw new UserInputException("setting " + named("labels.default-threshold") + " must lie in [0, 1], got '"
                    + string("labels.default-threshold") + "'");
        }
        return wrap("labels.* / heatmaps.*", () -> new LabelingSettings(topics(), batch(), threshold,
                actionOrder, bool("heatmaps.for-positive"), atLeast("heatmaps.max-per-image", 0),
                atLeast("heatmaps.preview-max-side", 16), heatmapScale(), atLeast("heatmaps.write-threads", 1),
                atLeast("fetch.threads", 0), atLeast("http.recent-results", 0),
                new LabelLimits(atLeast("labels.max-per-set", 1), atLeast("labels.max-prompts", 1),
                        atLeast("labels.max-prompt-chars", 1)),
                atLeast("dead-letters.max-copy-bytes", 0), embeddingCache(), relabel(), regions()));
    }

    public ColorScale heatmapScale() {
        return wrap(named("heatmaps.color-scale"), () -> ColorScale.parse(string("heatmaps.color-scale")));
    }

    /** The s3 store's settings with heatmaps.store=s3; empty with the default local folder. */
    public Optional<S3HeatmapSettings> heatmapS3() {
        String store = string("heatmaps.store").trim();
        if (store.equalsIgnoreCase("local")) {
            return Optional.empty();
        }
        if (!store.equalsIgnoreCase("s3")) {
            throw new UserInputException("setting " + named("heatmaps.store") + " must be local or s3, got '"
                    + string("heatmaps.store") + "'");
        }
        if (get("heatmaps.s3.bucket").isEmpty()) {
            throw new UserInputException("setting " + named("heatmaps.s3.bucket") + " is needed with heatmaps.store=s3:"
                    + " name an existing bucket");
        }
        return Optional.of(s3Settings(string("heatmaps.s3.bucket")));
    }

    private S3HeatmapSettings s3Settings(String bucket) {
        Optional<URI> endpoint = get("heatmaps.s3.endpoint").map(e -> wrap(named("heatmaps.s3.endpoint"),
                () -> S3HeatmapSettings.checkEndpoint(URI.create(e.trim()))));
        Optional<String> region = get("heatmaps.s3.region").map(r -> wrap(named("heatmaps.s3.region"),
                () -> S3HeatmapSettings.checkRegion(r.trim())));
        String checkedBucket = wrap(named("heatmaps.s3.bucket"), () -> S3HeatmapSettings.checkBucket(bucket.trim()));
        String prefix = wrap(named("heatmaps.s3.prefix"), () -> S3HeatmapSettings.checkPrefix(
                string("heatmaps.s3.prefix").trim()));
        Duration presignTtl = wrap(named("heatmaps.s3.presign-ttl"), () -> S3HeatmapSettings.checkPresignTtl(
                duration("heatmaps.s3.presign-ttl")));
        return new S3HeatmapSettings(endpoint, region, checkedBucket, prefix, bool("heatmaps.s3.path-style"),
                presignTtl, positive("heatmaps.s3.timeout"));
    }

    /**
     * The s3 settings are read while the store is local too, so that switching to s3 cannot fail on a typo made
     * earlier; a bucket is only required once the store is s3.
     */
    private void heatmapStore() {
        if (heatmapS3().isEmpty()) {
            s3Settings(get("heatmaps.s3.bucket").orElse("bucket-not-needed-yet"));
        }
    }

    public AvroSerdeConfig avro() {
        SchemaRegistryConfig base = wrap(named("schema.registry.url"),
                () -> SchemaRegistryConfig.forUrls(string("schema.registry.url")));
        RegistryAuth auth = RegistryAuth.none();
        Optional<String> userInfo = get("schema.registry.basic.auth.user.info");
        Optional<String> bearer = get("schema.registry.bearer.token");
        if (userInfo.isPresent() && bearer.isPresent()) {
            throw new UserInputException("set either schema.registry.basic.auth.user.info or"
                    + " schema.registry.bearer.token, not both");
        }
        if (userInfo.isPresent()) {
            int colon = userInfo.get().indexOf(':');
            if (colon < 0) {
                throw new UserInputException("setting " + named("schema.registry.basic.auth.user.info")
                        + " must be user:password");
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
        String subjectNames = string("schema.registry.subject.name.strategy").toLowerCase(Locale.ROOT);
        SubjectNameStrategy strategy = switch (subjectNames) {
            case "topic", "topicnamestrategy" -> SubjectNameStrategy.TOPIC_NAME;
            case "record", "recordnamestrategy" -> SubjectNameStrategy.RECORD_NAME;
            case "topic-record", "topicrecordnamestrategy" -> SubjectNameStrategy.TOPIC_RECORD_NAME;
            default -> throw new UserInputException("setting " + named("schema.registry.subject.name.strategy")
                    + " must be topic, record or topic-record, got '" + string("schema.registry.subject.name.strategy")
                    + "'");
        };
        return new AvroSerdeConfig(registry, bool("schema.registry.auto.register"), strategy);
    }

    /** What the decoder accepts: no more bytes than a fetch may bring, no more pixels than {@code image.max-pixels}. */
    public ImageLimits imageLimits() {
        return wrap(named("image.max-pixels"), () -> new ImageLimits(longValue("fetch.max-bytes"),
                longValue("image.max-pixels"), ImageLimits.MAX_SIDE));
    }

    public FetchPolicy fetchPolicy() {
        Optional<String> hosts = get("fetch.allowed-hosts");
        Set<String> allowed = hosts.map(h -> Arrays.stream(h.split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toSet()))
                .orElse(Set.of());
        return wrap("fetch.*", () -> new FetchPolicy(positive("fetch.connect-timeout"), positive("fetch.read-timeout"),
                between("fetch.max-bytes", 1, Integer.MAX_VALUE), atLeast("fetch.max-redirects", 0),
                get("fetch.file-root").map(Path::of).orElse(null),
                new AddressPolicy(bool("fetch.allow-loopback"), bool("fetch.allow-private"),
                        bool("fetch.allow-link-local"), allowed),
                new FetchLimits(integer("fetch.max-per-host"), integer("fetch.max-in-flight"),
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

    /** Turns a typed group's own refusal into a bad setting; {@code what} names the settings involved. */
    private static <T> T wrap(String what, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (UserInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UserInputException("setting " + what + ": " + e.getMessage(), e);
        }
    }
}
