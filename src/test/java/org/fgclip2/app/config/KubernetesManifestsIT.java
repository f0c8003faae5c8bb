package org.fgclip2.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests under {@code deploy/kubernetes}, statically: {@code deploy/validate.sh} (schemas of
 * Kubernetes and KEDA from npm, GPU variant against the CPU one, probes, selectors), and here every
 * {@code FGCLIP2_*} name they mention, comments included, against the settings table: the application ignores
 * variables it does not know, so a misspelt one would pass unnoticed in a cluster.
 */
class KubernetesManifestsIT {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Pattern VARIABLE = Pattern.compile("FGCLIP2_[A-Z0-9_]+");

    @Test
    void theManifestsPassTheStaticChecks() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", DEPLOY.resolve("validate.sh").toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("matches the apps/v1 StatefulSet schema").contains("keda.sh/v1alpha1 ScaledObject");
    }

    @Test
    void everyVariableTheManifestsNameIsASetting() throws IOException {
        Set<String> known = Settings.ALL.stream().map(Setting::environmentVariable).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(DEPLOY.resolve("kubernetes"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher m = VARIABLE.matcher(Files.readString(f));
                while (m.find()) {
                    named.add(m.group());
                }
            }
        }
        assertThat(named).as("the manifests configure the application").contains("FGCLIP2_HEATMAPS_STORE",
                "FGCLIP2_HEATMAPS_S3_BUCKET", "FGCLIP2_STATE_DIR", "FGCLIP2_HTTP_ADVERTISED_ADDRESS");
        assertThat(named.stream().filter(n -> !known.contains(n) && !n.startsWith("FGCLIP2_KAFKA_")))
                .as("names that are no setting").isEmpty();
    }
}
