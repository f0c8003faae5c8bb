package org.fgclip2.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.fgclip2.app.cli.UserInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads settings from a properties or YAML file (nested YAML maps become dotted keys) and lets {@code FGCLIP2_*}
 * environment variables override them. Unknown keys are refused, so a typo never silently falls back to a default.
 */
public final class ConfigSource {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigSource.class);
    /** FGCLIP2_* variables that are not settings: debugging and test switches. */
    private static final Set<String> NOT_SETTINGS = Set.of("FGCLIP2_DEBUG", "FGCLIP2_PYTHON", "FGCLIP2_GOLDEN_DIRS");

    private ConfigSource() {
    }

    /** Merges the file (if any) and the environment into one flat map of explicitly set keys. */
    public static Map<String, String> load(Path file, Map<String, String> env) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            values.putAll(readFile(file));
        }
        values.putAll(fromEnvironment(env));
        for (String key : values.keySet()) {
            if (!Settings.BY_KEY.containsKey(key) && !key.startsWith(Settings.KAFKA_PREFIX)) {
                throw new UserInputException("unknown setting '" + key + "'" + (file == null ? "" : " (in " + file + ")")
                        + "; see 'fgclip2-streams run --list-settings'");
            }
        }
        return values;
    }

    static Map<String, String> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("config file not found: " + file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
                Map<String, String> out = new TreeMap<>();
                if (root != null && !root.isNull()) {
                    if (!root.isObject()) {
                        throw new UserInputException(file + ": a YAML config must be a mapping of settings");
                    }
                    flatten("", root, out, file);
                }
                return out;
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            Map<String, String> out = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
            return out;
        } catch (IOException e) {
            throw new UserInputException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, out, file);
            } else if (v.isArray()) {
                StringBuilder sb = new StringBuilder();
                v.forEach(item -> sb.append(sb.isEmpty() ? "" : ",").append(item.asText()));
                out.put(key, sb.toString());
            } else if (!v.isNull()) {
                out.put(key, v.asText());
            }
        }
    }

    /**
     * {@code FGCLIP2_<KEY>} for every known key; {@code FGCLIP2_KAFKA_<NAME>} becomes {@code kafka.<name>} with
     * {@code _} as {@code .} (Kafka's own property names are dotted lower case).
     */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        Set<String> known = new HashSet<>(NOT_SETTINGS);
        Settings.ALL.forEach(s -> known.add(s.environmentVariable()));
        env.keySet().stream().filter(n -> n.startsWith("FGCLIP2_") && !n.startsWith("FGCLIP2_KAFKA_") && !known.contains(n))
                .sorted().forEach(n -> LOG.warn("ignoring environment variable {}: no setting of that name"
                        + " (see 'run --list-settings')", n));
        for (Setting s : Settings.ALL) {
            String v = env.get(s.environmentVariable());
            if (v != null) {
                out.put(s.key(), v.trim());
            }
        }
        String kafkaPrefix = "FGCLIP2_KAFKA_";
        env.forEach((name, value) -> {
            if (name.startsWith(kafkaPrefix) && name.length() > kafkaPrefix.length()) {
                out.put(Settings.KAFKA_PREFIX + name.substring(kafkaPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                        value.trim());
            }
        });
        return out;
    }
}
