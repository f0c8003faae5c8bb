package org.fgclip2.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules are valid Prometheus rules that fire when they should ({@code promtool}, which scripts/test.sh
 * installs with the Debian package {@code prometheus}; skipped, saying so, where it is missing), and each alert says
 * what it means and is explained in docs/deployment.md. That the metrics they use exist is {@link MonitoringIT}'s.
 */
class AlertRulesTest {

    private static final Path RULES = Path.of("deploy/monitoring/fgclip2-alerts.yml");
    private static final Path RULE_TESTS = Path.of("deploy/monitoring/fgclip2-alerts.test.yml");

    @Test
    void everyAlertHasASeverityASummaryADescriptionAndItsSectionInTheDeploymentGuide() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(RULES));
        String guide = Files.readString(Path.of("docs/deployment.md"));
        int alerts = 0;
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                String name = String.valueOf(r.get("alert"));
                assertThat(((Map<?, ?>) r.get("labels")).get("severity")).as(name).isIn("warning", "critical");
                Map<?, ?> annotations = (Map<?, ?>) r.get("annotations");
                assertThat(annotations.get("summary")).as(name).isNotNull();
                assertThat(annotations.get("description")).as(name).isNotNull();
                assertThat(guide).as("docs/deployment.md explains %s", name).contains("`" + name + "`");
                alerts++;
            }
        }
        assertThat(alerts).isGreaterThanOrEqualTo(8);
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
        assumeTrue(promtoolFound(), "promtool not installed (apt-get install prometheus; scripts/test.sh does)");
        assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS");
        assertThat(promtool("test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
    }

    private static boolean promtoolFound() {
        try {
            promtool("--version");
            return true;
        } catch (IOException | AssertionError e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
