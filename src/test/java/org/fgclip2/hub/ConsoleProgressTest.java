package org.fgclip2.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Progress output driven by a fake clock. */
class ConsoleProgressTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private long now;

    @Test
    void aLogGetsALineEveryTenPercent() {
        ConsoleProgress progress = progress(false);

        progress.started("model.safetensors", 2_000_000_000L, 0);
        for (long done = 50_000_000L; done <= 2_000_000_000L; done += 50_000_000L) {
            now += TimeUnit.MILLISECONDS.toNanos(500); // 100 MB/s, never 5 s without a new tenth
            progress.advanced("model.safetensors", done);
        }
        progress.finished("model.safetensors");

        List<String> lines = lines();
        assertThat(lines).hasSize(12);
        assertThat(lines.get(0)).isEqualTo("Downloading model.safetensors (2.0 GB)");
        assertThat(lines.get(1)).isEqualTo("model.safetensors: 200.0 MB / 2.0 GB (10%), 100.0 MB/s, ETA 0:18");
        assertThat(lines.get(10)).startsWith("model.safetensors: 2.0 GB / 2.0 GB (100%)");
        assertThat(lines.get(11)).isEqualTo("model.safetensors: done, 2.0 GB in 20.0 s");
    }

    @Test
    void aLogGetsALineEveryFiveSecondsWhenTheSizeIsUnknown() {
        ConsoleProgress progress = progress(false);

        progress.started("tokenizer.json", -1, 0);
        for (int second = 1; second <= 12; second++) {
            now += TimeUnit.SECONDS.toNanos(1);
            progress.advanced("tokenizer.json", second * 1_000_000L);
        }

        assertThat(lines()).containsExactly(
                "Downloading tokenizer.json (size unknown)",
                "tokenizer.json: 5.0 MB, 1.0 MB/s",
                "tokenizer.json: 10.0 MB, 1.0 MB/s");
    }

    @Test
    void aResumedDownloadSaysWhereItResumesAndMeasuresOnlyNewBytes() {
        ConsoleProgress progress = progress(false);

        progress.started("model.safetensors", 1_000_000, 500_000);
        now += TimeUnit.SECONDS.toNanos(1);
        progress.advanced("model.safetensors", 600_000);

        assertThat(lines()).containsExactly(
                "Downloading model.safetensors (1.0 MB, resuming at 500.0 kB)",
                "model.safetensors: 600.0 kB / 1.0 MB (60%), 100.0 kB/s, ETA 0:04");
    }

    @Test
    void aTerminalGetsOneLineRedrawnInPlace() {
        ConsoleProgress progress = progress(true);

        progress.started("model.safetensors", 1000, 0);
        for (int done = 1; done <= 1000; done++) {
            now += TimeUnit.MILLISECONDS.toNanos(1); // 1000 updates in 1 s: redrawn every 200 ms only
            progress.advanced("model.safetensors", done);
        }
        progress.finished("model.safetensors");

        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(1 + 5 + 1);
        assertThat(out).endsWith("\rmodel.safetensors  [########################]  1.0 kB / 1.0 kB (100%), 1.0 kB/s\n");
        assertThat(out.indexOf('\n')).isEqualTo(out.length() - 1);
    }

    @Test
    void aRetryStartsAFreshLineOnATerminal() {
        ConsoleProgress progress = progress(true);

        progress.started("model.safetensors", 1000, 0);
        progress.retrying("model.safetensors", 2, 5, "connection reset");

        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .endsWith("\nmodel.safetensors: connection reset; trying again (2 of 5)\n");
    }

    @Test
    void sizesAndDurationsReadLikeTheHubs() {
        assertThat(ConsoleProgress.bytes(999)).isEqualTo("999 B");
        assertThat(ConsoleProgress.bytes(1_500)).isEqualTo("1.5 kB");
        assertThat(ConsoleProgress.bytes(4_534_000_000L)).isEqualTo("4.5 GB");
        assertThat(ConsoleProgress.duration(5)).isEqualTo("0:05");
        assertThat(ConsoleProgress.duration(3661)).isEqualTo("1:01:01");
    }

    private ConsoleProgress progress(boolean terminal) {
        return new ConsoleProgress(new PrintStream(buffer, true, StandardCharsets.UTF_8), terminal, () -> now);
    }

    private List<String> lines() {
        return buffer.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
