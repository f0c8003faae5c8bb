package org.fgclip2.app.labels;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.fgclip2.app.config.AppConfig;
import picocli.CommandLine.Option;

/** Where Kafka and the schema registry are: the settings of {@code run}, with flags for the two most common. */
final class ConnectionOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties or YAML settings file, as for 'run' (bootstrap.servers, schema.registry.*,"
                    + " topics.label-definitions, kafka.* client security). FGCLIP2_* environment variables"
                    + " override it.")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers; overrides bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL[,...]",
            description = "Confluent-API schema registry; overrides schema.registry.url.")
    String schemaRegistryUrl;

    /** The settings file, then the environment, then these flags. */
    AppConfig appConfig() {
        Map<String, String> flags = new HashMap<>();
        if (bootstrapServers != null) {
            flags.put("bootstrap.servers", bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            flags.put("schema.registry.url", schemaRegistryUrl);
        }
        return AppConfig.load(config, System.getenv()).with(flags);
    }
}
