package org.fgclip2.app;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The application in a child JVM, as it runs in production: {@code Main run --config FILE}. */
final class AppProcess implements AutoCloseable {

    private final Process process;
    final Path log;

    private AppProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static AppProcess run(Map<String, String> settings, Path dir, String name) throws IOException {
        return run(settings, dir, name, List.of());
    }

    /** With extra JVM options, e.g. {@code -Dfgclip2.kafka.log.level=INFO} to see what Kafka does. */
    static AppProcess run(Map<String, String> settings, Path dir, String name, List<String> jvmOptions)
            throws IOException {
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return start(settings, dir, name, launch);
    }

    /** From a packaged jar, {@code java -jar JAR run --config FILE}, with only what that jar carries. */
    static AppProcess runJar(Path jar, Map<String, String> settings, Path dir, String name) throws IOException {
        return start(settings, dir, name, List.of("-jar", jar.toString()));
    }

    private static AppProcess start(Map<String, String> settings, Path dir, String name, List<String> launch)
            throws IOException {
        Path config = dir.resolve(name + ".properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue().replace("\\", "\\\\") + "\n");
            }
        }
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m"));
        command.addAll(launch);
        command.addAll(List.of("run", "--config", config.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AppProcess(p, log);
    }

    /** SIGKILL: no shutdown hook, no flush, no commit — a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** The exit status once the process ends by itself within {@code timeout}; fails with the log otherwise. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + logText());
        }
        return process.exitValue();
    }

    /** The port of the HTTP endpoint, from the log (the tests let the app pick a free one). */
    int httpPort() throws Exception {
        awaitLog("HTTP endpoint on [^ ]+:\\d+", Duration.ofSeconds(120));
        var m = Pattern.compile("HTTP endpoint on [^ ]+:(\\d+)").matcher(logText());
        m.find();
        return Integer.parseInt(m.group(1));
    }

    /** Waits until the log matches {@code regex}; fails with the log if the process exits or time runs out. */
    void awaitLog(String regex, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Pattern p = Pattern.compile(regex);
        while (System.nanoTime() < deadline) {
            if (p.matcher(logText()).find()) {
                return;
            }
            if (!alive()) {
                throw new AssertionError("app exited early:\n" + logText());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no '" + regex + "' in the log after " + timeout + ":\n" + logText());
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
