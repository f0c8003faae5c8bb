package org.fgclip2.serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/confluent_avro_interop.py}: Confluent's own Python client (Debian's
 * {@code python3-confluent-kafka}), an implementation of the wire format independent of ours.
 */
public final class ConfluentPythonClient {

    static final String APT_PACKAGES = "python3-confluent-kafka python3-avro python3-requests";
    private static final Path SCRIPT = Paths.get("src/test/python/confluent_avro_interop.py");
    private static final String IMPORT_CHECK = "import confluent_kafka.avro, avro.io, requests";

    private final String python;

    private ConfluentPythonClient(String python) {
        this.python = python;
    }

    /**
     * Finds a Python with the modules: {@code $FGCLIP2_PYTHON}, Debian's {@code /usr/bin/python3} (where apt
     * installs them, even when another python3 comes first on the PATH), then {@code python3}.
     *
     * @throws IllegalStateException saying which apt packages to install
     */
    public static ConfluentPythonClient find() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("FGCLIP2_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            Result check = run(List.of(candidate, "-c", IMPORT_CHECK));
            if (check.exitCode() == 0) {
                return new ConfluentPythonClient(candidate);
            }
            failures.add(candidate + ": " + check.lastLine());
        }
        throw new IllegalStateException("This test needs Python 3 with Confluent's Avro client. Install it with"
                + " 'apt-get install -y " + APT_PACKAGES + "' (or point FGCLIP2_PYTHON at a Python that has it). Tried "
                + failures);
    }

    /** Decodes a wire-format payload, returning the record as JSON. */
    String decode(String registryUrl, byte[] payload) {
        Path file = temp(".bin");
        try {
            Files.write(file, payload);
            return script("decode", registryUrl, file.toString()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(file);
        }
    }

    /** Registers {@code schemaFile} under {@code <topic>-value} and encodes the JSON record with it. */
    byte[] encode(String registryUrl, String topic, Path schemaFile, String recordJson) {
        Path file = temp(".bin");
        try {
            script("encode", registryUrl, topic, schemaFile.toString(), recordJson, file.toString());
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(file);
        }
    }

    /** Reads records of a topic with librdkafka (read_committed) and returns one JSON object per record. */
    public List<String> consume(String bootstrap, String registryUrl, String topic, int count, int timeoutSeconds) {
        String out = script("consume", bootstrap, registryUrl, topic, String.valueOf(count), String.valueOf(timeoutSeconds));
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    private String script(String... arguments) {
        List<String> command = new ArrayList<>(List.of(python, SCRIPT.toString()));
        command.addAll(List.of(arguments));
        Result result = run(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("Python client failed (exit " + result.exitCode() + "): " + String.join(" ", command)
                    + "\n" + result.output());
        }
        return result.stdout();
    }

    private record Result(int exitCode, String stdout, String output) {
        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Result run(List<String> command) {
        Path stdout = temp(".out");
        Path stderr = temp(".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().put("PYTHONIOENCODING", "utf-8");
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(-1, "", "timed out after 120 s");
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            return new Result(process.exitValue(), out, out + Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(stdout);
            delete(stderr);
        }
    }

    private static Path temp(String suffix) {
        try {
            return Files.createTempFile("confluent-python-", suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }
}
