package org.fgclip2.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the application with its default: the one place where configuration is defined. A config file
 * (properties or YAML) sets any of them; {@code FGCLIP2_*} environment variables override the file; keys under
 * {@code kafka.} are passed to Kafka Streams as they are (e.g. {@code kafka.num.stream.threads}).
 */
public final class Settings {
    private Settings() {
    }

    public static final String KAFKA_PREFIX = "kafka.";

    public static final List<Setting> ALL = List.of(
            s("model", "qihoo360/fg-clip2-base", "Checkpoint folder or Hugging Face hub id[@revision]."),
            s("model.device", "auto", "cpu, gpu, gpu:N or auto (GPU 0 when visible, else CPU)."),
            s("model.dtype", "f32", "f32 (matches the official outputs) or f16."),
            s("model.threads", null, "Intra-op CPU threads of the engine; default all cores."),

            s("bootstrap.servers", "localhost:9092", "Kafka bootstrap servers."),
            s("bootstrap.timeout", "60s", "How long start waits for the brokers and the schema registry to answer"
                    + " (one log line per attempt) before it gives up with exit status 2; checked before the model"
                    + " loads."),
            s("application.id", "fgclip2-streams", "Kafka Streams application id (consumer group, internal topic prefix)."),
            s("processing.guarantee", "exactly_once_v2", "exactly_once_v2 or at_least_once."),
            s("num.stream.threads", "1", "Stream threads per instance (they share one model per device)."),
            s("state.dir", null, "Kafka Streams state directory; default its own (/tmp/kafka-streams). Keep it on"
                    + " a persistent disk, one per instance: a restarted instance then resumes in seconds."),
            s("instance.id", null, "Static group membership id of this instance (Kafka group.instance.id), unique"
                    + " per instance and stable across its restarts; default <host name>-<hash of state.dir>."),
            s("group.session-timeout", "10s", "How long the group waits for a silent instance before moving its"
                    + " partitions to the others (Kafka session.timeout.ms)."),
            s("group.heartbeat-interval", "2s", "How often an instance tells the group it is alive (Kafka"
                    + " heartbeat.interval.ms); at most a third of group.session-timeout."),
            s("streams.max-thread-failures", "5", "Stream-thread failures tolerated within"
                    + " streams.thread-failure-window (each thread is replaced after a growing pause); one more"
                    + " stops the instance with exit status 1, for the orchestrator to restart it."),
            s("streams.thread-failure-window", "10m", "The window streams.max-thread-failures counts in."),
            s("topics.create", "true", "Create missing topics at start (with topics.partitions / topics.replication)."),
            s("topics.partitions", "6", "Partitions of topics created at start."),
            s("topics.replication", "1", "Replication factor of topics created at start."),

            s("topics.images", "fgclip2.images", "Input: image events."),
            s("topics.label-definitions", "fgclip2.label-definitions", "Input, compacted: label definitions."),
            s("topics.caption-embeddings", "fgclip2.caption-embeddings", "Internal, compacted: label embeddings."),
            s("topics.image-labels", "fgclip2.image-labels", "Output: labels per image."),
            s("topics.region-heatmaps", "fgclip2.region-heatmaps", "Output: heatmap references."),
            s("topics.dead-letters", "fgclip2.dead-letters", "Output: records that could not be processed."),
            s("topics.image-embeddings", "fgclip2.image-embeddings", "Output when embeddings.publish is on: the"
                    + " normalised embedding of every image that ran through the model."),
            s("topics.embedding-cache", "fgclip2.embedding-cache", "Internal, compacted with retention"
                    + " embeddings.cache.max-age: the embedding cache every instance holds (when it is on)."),
            s("embeddings.cache.max-entries", "0", "Image embeddings every instance keeps, by content (SHA-256 of the"
                    + " bytes, patch budget, model): a repeat under any id or URL then runs no model unless it needs"
                    + " heatmaps. About 3 KB each at base size. 0 = no cache."),
            s("embeddings.cache.max-age", "24h", "A cached embedding older than this (by its first image's event"
                    + " time) is not used; also the cache topic's retention."),
            s("embeddings.publish", "false", "Publish each image's embedding (ImageEmbedding) to"
                    + " topics.image-embeddings, for indexes and models of your own."),
            s("regions.max-per-image", "32", "Most boxes of one image event (ImageEvent.regions) that are labelled;"
                    + " the rest get one error entry (0 = region labels off). Each box costs a RoIAlign and a dot"
                    + " product per label, and its image a forward even when the embedding cache knows it."),
            s("regions.top-labels", "5", "Most labels listed per box in ImageLabels.regions, best first."),
            s("relabel.max-images", "10000", "Labelled images each task keeps (embedding, label set, positive"
                    + " labels; about 3.5 KB each at base size, in a changelogged RocksDB store) to re-score them"
                    + " without the model when their label set changes. 0 = no re-labelling."),
            s("relabel.window", "24h", "How long a labelled image is kept for re-labelling."),
            s("relabel.emit", "changed", "Which re-scored images are published again (trigger LABELS_CHANGED):"
                    + " changed = those whose positive labels, review labels or decision changed, all = every one."),
            s("relabel.delay", "5s", "How long a label set must stay unchanged before its images are re-scored,"
                    + " so that loading a file of labels re-scores once."),

            s("schema.registry.url", "http://localhost:8081", "Confluent-API schema registry URL(s), comma separated."),
            s("schema.registry.basic.auth.user.info", null, "user:password for HTTP basic auth."),
            s("schema.registry.bearer.token", null, "Bearer token (alternative to basic auth)."),
            s("schema.registry.ssl.truststore.location", null, "Trust store for an https registry."),
            s("schema.registry.ssl.truststore.password", null, "Trust store password."),
            s("schema.registry.ssl.truststore.type", "PKCS12", "Trust store type."),
            s("schema.registry.ssl.keystore.location", null, "Key store with a client certificate (mutual TLS)."),
            s("schema.registry.ssl.keystore.password", null, "Key store password."),
            s("schema.registry.ssl.keystore.type", "PKCS12", "Key store type."),
            s("schema.registry.auto.register", "true", "Register our schemas when first used."),
            s("schema.registry.subject.name.strategy", "topic", "topic, record or topic-record."),

            s("batch.max-size", "32", "Most images per model forward."),
            s("batch.max-wait", "50ms", "Longest an accepted image waits for its batch to fill."),
            s("batch.patch-budget", "16384", "Most patch slots (images x padded patches) per forward."),
            s("batch.time-budget", null, "Most model time between two commits of a stream thread; default the "
                    + "smaller of max.poll.interval.ms / 10 and, under exactly_once_v2, transaction.timeout.ms / 4."),
            s("batch.tick", "10ms", "How often waiting batches are checked (also Kafka Streams' poll.ms)."),
            s("batch.max-patches-per-image", "4096", "Largest maxPatches an event may ask for."),
            s("batch.max-in-progress", "256", "Most images a stream thread fetches, decodes and holds for the model"
                    + " at once (each holds its pixels and patches: a few MB); the rest of a backlog waits in the"
                    + " pending store, so memory does not grow with the backlog. Slow downloads hold places too."),
            s("fetch.threads", "4", "Threads preparing images ahead of the model: reading file: images, decoding,"
                    + " resizing, patching; HTTP downloads hold none of them (0 = all on the stream thread, which"
                    + " then waits for each download: for tests)."),

            s("labels.default-threshold", "0.3", "Score at or above which a label without its own threshold is positive."),
            s("labels.action-order", "block,review,allow", "How severe label actions are, most severe first: an"
                    + " image's decision is the most severe action among its positive labels (a label in its review"
                    + " band counts as review). Words not listed rank just above allow."),
            s("labels.max-per-set", "1000", "Most labels in one label set; a definition beyond it is dead-lettered"
                    + " (stage LABELS)."),
            s("labels.max-prompts", "64", "Most prompts in one label definition."),
            s("labels.max-prompt-chars", "1000", "Longest prompt or box prompt in characters (the long walk reads"
                    + " at most 196 tokens of it)."),
            s("dead-letters.max-copy-bytes", "262144", "Most bytes of the original key, and of the original value,"
                    + " a dead letter carries; longer ones are cut (truncated=true) and stay replayable from their"
                    + " topic, partition and offset."),
            s("heatmaps.for-positive", "true", "Render heatmaps for positive labels."),
            s("heatmaps.max-per-image", "5", "Most heatmaps per image (0 disables heatmaps)."),
            s("heatmaps.write-threads", "8", "Heatmaps of a batch rendered and written to the heatmap store at once:"
                    + " every write (an S3 PUT) happens inside the batch's transaction, so one after the other a"
                    + " slow store would hold the transaction for the sum of them (1 = one at a time)."),
            s("heatmaps.store", "local", "Where heatmap PNGs go: local (heatmaps.dir, file: URIs that only this"
                    + " machine can open) or s3 (a bucket every instance and consumer shares; heatmaps.s3.*)."),
            s("heatmaps.dir", "./heatmaps", "Local directory of the heatmap store (heatmaps.store=local)."),
            s("heatmaps.s3.bucket", null, "Bucket of the s3 heatmap store; must exist (never created)."),
            s("heatmaps.s3.prefix", "heatmaps/", "Put in front of every heatmap's object key (the scope of a"
                    + " lifecycle rule and of the IAM policy)."),
            s("heatmaps.s3.region", null, "Region of the bucket; default the AWS SDK's region chain (AWS_REGION,"
                    + " profile, instance metadata). S3-compatible servers usually take us-east-1."),
            s("heatmaps.s3.endpoint", null, "http(s)://host[:port] of an S3-compatible server (MinIO, Ceph, ...);"
                    + " default AWS S3 of the region."),
            s("heatmaps.s3.path-style", "false", "Address objects as endpoint/bucket/key instead of"
                    + " bucket.endpoint/key (true for most self-hosted servers)."),
            s("heatmaps.s3.presign-ttl", "0s", "0s publishes s3://bucket/key; longer publishes an https URL"
                    + " pre-signed for that long (at most 168h), which any HTTP client can open until it expires."),
            s("heatmaps.s3.timeout", "10s", "Longest one heatmap upload may take, retries included; a slower one"
                    + " is a dead letter (stage PUBLISH) and the image's labels are published all the same."),
            s("heatmaps.preview-max-side", "768", "Longest side of the image under a heatmap overlay."),
            s("heatmaps.color-scale", "auto", "What heatmap colours stand for: auto stretches each map from its"
                    + " minimum to its maximum (as the official demo; shows where a label is, but colours do not"
                    + " compare across maps); LO..HI (e.g. 0.05..0.35) gives every map one cosine range, clamped."),

            s("fetch.file-root", null, "Directory file: URIs may point into; none = file: refused."),
            s("fetch.allow-loopback", "false", "Allow http(s) to loopback addresses."),
            s("fetch.allow-private", "false", "Allow http(s) to private (RFC 1918, ULA, CGNAT) addresses."),
            s("fetch.allow-link-local", "false", "Allow http(s) to link-local addresses (cloud metadata!)."),
            s("fetch.allowed-hosts", null, "If set, only these host names (comma separated) may be fetched."),
            s("fetch.connect-timeout", "5s", "HTTP connect timeout."),
            s("fetch.read-timeout", "20s", "HTTP timeout for the whole download (every redirect, DNS, headers and"
                    + " body), counted from its turn under the limits below."),
            s("fetch.max-per-host", "16", "Most HTTP downloads running at once from one origin (scheme, host and"
                    + " port); more wait their turn, holding no thread. A hanging host holds at most this many"
                    + " connections, and 16 downloads of 100 ms still bring 160 images/s from a single CDN host."),
            s("fetch.max-in-flight", "256", "Most HTTP downloads running at once over all hosts; more wait their"
                    + " turn. 16 hosts at their per-host limit fill it: the others then wait too. Each running download"
                    + " holds a connection and up to fetch.max-bytes of memory."),
            s("fetch.queue-timeout", "60s", "Longest a download waits for its turn before it becomes a dead letter"
                    + " (stage fetch) that names the host and the limit. The default, three read timeouts, lets a busy"
                    + " host's queue drain while a hanging host's fails."),
            s("fetch.max-bytes", "20971520", "Largest image download or file (bytes)."),
            s("fetch.max-redirects", "3", "Redirects followed per fetch."),
            s("image.max-pixels", "100000000", "Largest decoded image (pixels); bigger ones are refused from the header."),

            s("http.port", "8080", "Port of the health, metrics and query endpoint (0 = any free port, -1 = off)."),
            s("http.host", "0.0.0.0", "Address the HTTP endpoint binds to."),
            s("http.advertised-address", null, "host:port other instances reach this one's HTTP endpoint at"
                    + " (Kafka Streams application.server); needed for /images/{id}/labels across instances."),
            s("http.recent-results", "10000", "Latest labels kept per task for GET /images/{id}/labels (0 = none)."),
            s("log.progress-interval", "30s", "How often a progress line is logged at info."),
            s("log.format", "text", "text (one readable line per event) or json (one JSON object per line, with"
                    + " image_id, label_id, task and trace_id fields where a line is about one record), on stderr."));

    public static final Map<String, Setting> BY_KEY = index();

    private static Map<String, Setting> index() {
        Map<String, Setting> m = new LinkedHashMap<>();
        for (Setting s : ALL) {
            m.put(s.key(), s);
        }
        return Collections.unmodifiableMap(m);
    }

    private static Setting s(String key, String def, String description) {
        return new Setting(key, def, description);
    }

    /** The settings as a Markdown table, for the documentation. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | environment variable | default | meaning |\n|---|---|---|---|\n");
        for (Setting s : ALL) {
            sb.append("| `").append(s.key()).append("` | `").append(s.environmentVariable()).append("` | ")
                    .append(s.defaultValue() == null ? "" : "`" + s.defaultValue() + "`").append(" | ")
                    .append(s.description()).append(" |\n");
        }
        sb.append("| `kafka.*` | `FGCLIP2_KAFKA_*` | | Passed to Kafka Streams without the prefix"
                + " (env: `_` becomes `.`). |\n");
        return sb.toString();
    }
}
