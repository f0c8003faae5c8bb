package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fgclip2.app.CliTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fgclip2.app.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code labels} command line without Kafka: offline checks, and refusals that come before any connection. */
class LabelsCommandTest {

    @TempDir
    Path dir;

    @Test
    void checkCountsTheLabelsOfAGoodFile() throws Exception {
        Path file = Files.writeString(dir.resolve("labels.yaml"),
                "labels:\n  - id: cat\n    prompts: [a photo of a cat, 一只猫的照片]\n  - id: dog\n    prompts: a dog\n");

        Run run = run("labels", "check", file.toString(), "--label-set", "pets");

        assertThat(run).isEqualTo(new Run(0, file + ": 2 labels for label set 'pets', no problems\n", ""));
    }

    @Test
    void aBrokenFileIsRefusedBeforeAnyConnectionWithEveryProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("labels.csv"), "id,prompts,threshold\ncat,,\ndog,a dog,2\n");

        // nothing listens on port 1: reaching Kafka would fail with another message after a timeout
        Run run = run("labels", "load", file.toString(), "--prune", "--bootstrap-servers", "127.0.0.1:1",
                "--schema-registry-url", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: " + file + ": 2 problems; no label was sent\n"
                + "  line 2 (id 'cat'): no prompts\n"
                + "  line 3 (id 'dog'): threshold 2.0 is outside [0, 1]\n");
    }

    @Test
    void anUnknownFormatIsOneLineAndExitCode2() {
        Run run = run("labels", "check", dir.resolve("labels.json").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + dir.resolve("labels.json")
                + ": unknown label file format; name it .yaml, .yml or .csv\n");
    }

    @Test
    void labelsNeedsASubcommand() {
        Run run = run("labels");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: a subcommand is required: load, list, check or calibrate");
    }

    @Test
    void helpDescribesTheOptions() {
        Run run = run("labels", "load", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--prune", "--dry-run", "--label-set", "--config", "--bootstrap-servers",
                "--schema-registry-url");
    }
}
