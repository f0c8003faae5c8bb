package org.fgclip2.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fgclip2.app.config.Settings;
import org.fgclip2.model.checkpoint.SafetensorsFile;
import org.fgclip2.testing.GoldenFixture;
import org.fgclip2.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: output on stdout, one clear line on stderr and exit code 2 for bad input. */
class CliTest {

    @TempDir
    Path tmp;

    /** A finished command: exit code, stdout and stderr (line ends as {@code \n}). */
    record Run(int exitCode, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\\R");
            return lines[lines.length - 1];
        }
    }

    /** Runs the CLI in this JVM, as {@code java -jar fgclip2-streams.jar ARGS} would, capturing its output. */
    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cli = Main.commandLine();
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"),
                    err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void inspectReproducesTheOfficialScoresOfTheFixture() throws Exception {
        GoldenFixture f = GoldenFixture.publicTiny();
        List<String> captions = List.of("a green triangle above a purple ring", "一只黑白相间的猫坐在红色的盒子旁边。");
        Run r = run("inspect", "--model", f.dir().toString(), "--device", "cpu",
                "--image", f.image("img0_160x90").toString(), "--image", f.image("img1_33x77").toString(),
                "--caption", captions.get(0), captions.get(1),
                "--box-caption", "purple ring", "红色的盒子",
                "--heatmap-dir", tmp.resolve("maps").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("images")).hasSize(2);
        assertThat(doc.get("images").get(0).get("spatialShape").get(0).asInt()).isEqualTo(8);
        assertThat(doc.get("images").get(0).get("spatialShape").get(1).asInt()).isEqualTo(15);
        assertThat(doc.get("texts")).hasSize(4);
        assertThat(doc.get("texts").get(2).get("walk").asText()).isEqualTo("box");
        assertThat(doc.get("probabilities")).hasSize(2);
        assertThat(doc.get("probabilities").get(0)).hasSize(4);
        assertThat(doc.get("heatmaps")).hasSize(4);

        try (SafetensorsFile golden = f.tensors()) {
            // the dynamic case: captions 0 and 2 of the fixture, short walk; img0 and img1 (rows of 7 captions)
            float[] probs = golden.floats("vision/dynamic/probs/short");
            float[] actual = {
                    (float) doc.get("probabilities").get(0).get(0).asDouble(),
                    (float) doc.get("probabilities").get(0).get(1).asDouble(),
                    (float) doc.get("probabilities").get(1).get(0).asDouble(),
                    (float) doc.get("probabilities").get(1).get(1).asDouble()};
            Tolerance.assertGolden("probabilities", actual, new float[] {probs[0], probs[2], probs[7], probs[9]});
            float[] embedding = floats(doc.get("images").get(0).get("embedding"));
            float[] expected = Arrays.copyOfRange(golden.floats("vision/dynamic/image_features_norm"), 0, 48);
            Tolerance.assertGolden("image embedding", embedding, expected);
            // heatmap of img0 x "purple ring" (caption 3 of the fixture)
            JsonNode heat = doc.get("heatmaps").get(0);
            assertThat(heat.get("image").asInt()).isZero();
            assertThat(heat.get("text").asInt()).isEqualTo(2);
            float[] map = golden.floats("vision/dynamic/dense_similarity/img0_160x90");
            Tolerance.assertGolden("heatmap", floats(heat.get("similarity")), Arrays.copyOfRange(map, 3 * 120, 4 * 120));
            assertThat(heat.get("files")).hasSize(2);
            for (JsonNode file : heat.get("files")) {
                assertThat(Path.of(file.asText())).exists().isNotEmptyFile();
            }
        }
    }

    /**
     * The official region features pass through {@code inspect --region} (every fixture, every box of its dynamic
     * case), and the probabilities are softmax(100 · cos) over the box-walk texts, computed here from the golden
     * tensors alone.
     */
    @Test
    void inspectRegionsReproduceTheOfficialRegionFeatures() throws Exception {
        for (Path dir : GoldenFixture.all()) {
            GoldenFixture f = GoldenFixture.open(dir);
            List<String> names = new ArrayList<>();
            f.json().get("images").fieldNames().forEachRemaining(names::add);
            List<String> args = new ArrayList<>(List.of("inspect", "--model", dir.toString(), "--device", "cpu"));
            for (String name : names) {
                args.addAll(List.of("--image", f.image(name).toString()));
            }
            List<String> captions = new ArrayList<>();
            f.json().get("text").get("captions").forEach(c -> captions.add(c.asText()));
            args.add("--box-caption");
            args.addAll(captions);
            List<double[]> boxes = new ArrayList<>();
            List<Integer> boxImage = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                for (JsonNode box : f.json().get("vision").get("dynamic").get("images").get(names.get(i))
                        .get("region_boxes_xyxy")) {
                    double[] corners = {box.get(0).asDouble(), box.get(1).asDouble(), box.get(2).asDouble(),
                            box.get(3).asDouble()};
                    boxes.add(corners);
                    boxImage.add(i);
                    args.addAll(List.of("--region", i + ":" + corners[0] + "," + corners[1] + "," + corners[2] + ","
                            + corners[3]));
                }
            }
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode regions = new ObjectMapper().readTree(r.out()).get("regions");
            assertThat(regions).as(dir.toString()).hasSize(boxes.size());

            try (SafetensorsFile golden = f.tensors()) {
                float[] texts = golden.floats("text/box/features_norm");
                int dim = texts.length / captions.size();
                Map<Integer, Integer> seen = new HashMap<>();
                for (int k = 0; k < boxes.size(); k++) {
                    JsonNode region = regions.get(k);
                    int image = boxImage.get(k);
                    int row = seen.merge(image, 1, Integer::sum) - 1;
                    assertThat(region.get("image").asInt()).isEqualTo(image);
                    assertThat(floats(region.get("box"))).containsExactly(toFloats(boxes.get(k)));
                    float[] expected = Arrays.copyOfRange(golden.floats("vision/dynamic/region_features_norm/"
                            + names.get(image)), row * dim, (row + 1) * dim);
                    float[] embedding = floats(region.get("embedding"));
                    Tolerance.assertGolden("region " + k + " of " + dir.getFileName(), embedding, expected);

                    double[] logits = new double[captions.size()];
                    double sum = 0;
                    for (int t = 0; t < logits.length; t++) {
                        double cos = 0;
                        for (int d = 0; d < dim; d++) {
                            cos += (double) expected[d] * texts[t * dim + d];
                        }
                        logits[t] = Math.exp(100 * cos);
                        sum += logits[t];
                    }
                    float[] probabilities = new float[logits.length];
                    for (int t = 0; t < logits.length; t++) {
                        probabilities[t] = (float) (logits[t] / sum);
                    }
                    // 100 · cos magnifies the features' 1e-5 differences: 1e-3 is still far below any real change
                    float[] actual = floats(region.get("probabilities"));
                    for (int t = 0; t < actual.length; t++) {
                        assertThat(actual[t]).as("probability %d of region %d", t, k)
                                .isCloseTo(probabilities[t], within(1e-3f));
                    }
                }
            }
        }
    }

    @Test
    void aRegionOutsideItsImageIsRefusedWithItsSize() {
        GoldenFixture f = GoldenFixture.publicTiny();
        Run r = run("inspect", "--model", f.dir().toString(), "--image", f.image("img0_160x90").toString(),
                "--region", "0:100,10,170,50");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--region '0:100,10,170,50'").contains("outside the 160x90 image");
        Run wrongImage = run("inspect", "--model", f.dir().toString(), "--image", f.image("img0_160x90").toString(),
                "--region", "1:0,0,10,10");
        assertThat(wrongImage.err()).contains("image 1 does not exist");
        Run malformed = run("inspect", "--model", f.dir().toString(), "--image", f.image("img0_160x90").toString(),
                "--region", "0:1,2,3");
        assertThat(malformed.err()).contains("write I:x1,y1,x2,y2");
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    @Test
    void badInputIsOneClearLineAndExitCodeTwo() throws Exception {
        String model = GoldenFixture.BUNDLED.toString();
        String image = GoldenFixture.publicTiny().image("img0_160x90").toString();
        Path corrupt = Files.write(tmp.resolve("corrupt.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Path notAModel = Files.createDirectories(tmp.resolve("empty-folder"));
        Map<String[], String> cases = Map.of(
                new String[] {"inspect", "--model", model}, "--image",
                new String[] {"inspect", "--model", model, "--image", "/no/such/file.png"}, "no such image file",
                new String[] {"inspect", "--model", model, "--image", corrupt.toString()}, "cannot read image",
                new String[] {"inspect", "--model", notAModel.toString(), "--image", image}, "config.json",
                new String[] {"inspect", "--model", model, "--image", image, "--device", "tpu"}, "unknown device",
                new String[] {"inspect", "--model", model, "--image", image, "--dtype", "bf16"}, "bf16",
                new String[] {"inspect", "--model", model, "--image", image, "--max-patches", "0"}, "--max-patches",
                new String[] {"make-tiny-model", tmp.resolve("t").toString(), "--arch", "huge"}, "unknown architecture",
                new String[] {"nonsense"}, "Unmatched argument");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            Run r = run(c.getKey());
            assertThat(r.exitCode()).as(String.join(" ", c.getKey()) + "\n" + r.err()).isEqualTo(2);
            assertThat(r.out()).as("nothing on stdout").isEmpty();
            assertThat(r.err()).contains(c.getValue());
            assertThat(r.err()).doesNotContain("\tat ");
        }
    }

    @Test
    void modelOptionsDefaultToTheSettingsTheyStandFor() {
        String help = run("inspect", "--help").out();
        for (String[] optionAndKey : new String[][] {{"--model", "model"}, {"--device", "model.device"},
                {"--dtype", "model.dtype"}}) {
            String line = help.lines().dropWhile(l -> !l.trim().startsWith(optionAndKey[0] + "=")).limit(4)
                    .collect(Collectors.joining(" "));
            assertThat(line).as(optionAndKey[0])
                    .contains("Default: " + Settings.BY_KEY.get(optionAndKey[1]).defaultValue() + ".");
        }
        assertThat(run("bench-pipeline", "--help").out()).as("bench-pipeline's own --model has no default")
                .doesNotContain("Default: " + Settings.BY_KEY.get("model").defaultValue());
    }

    @Test
    void anFgclip2VariableIsTheModelOptionsDefaultAsItIsRunsSetting() {
        var cli = Main.commandLine();
        cli.setDefaultValueProvider(new SettingsDefaults(Map.of("FGCLIP2_MODEL_DEVICE", "cpu",
                "FGCLIP2_MODEL", "/models/mine")));
        String help = cli.getSubcommands().get("inspect").getUsageMessage();
        assertThat(help).contains("Default: cpu.").contains("Default: /models/mine.")
                .contains("Default: " + Settings.BY_KEY.get("model.dtype").defaultValue() + ".");
    }

    @Test
    void hubIdOfflineSaysWhatToDo() {
        String image = GoldenFixture.publicTiny().image("img0_160x90").toString();
        Run r = run("inspect", "--model", "qihoo360/fg-clip2-base-not-cached-" + System.nanoTime(), "--image", image);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--model");
    }

    @Test
    void makeTinyModelWritesAFolderInspectCanUse() {
        Path dir = tmp.resolve("tiny");
        assertThat(run("make-tiny-model", dir.toString()).exitCode()).isZero();
        assertThat(dir.resolve("model.safetensors")).exists();
        Run r = run("inspect", "--model", dir.toString(), "--device", "cpu",
                "--image", GoldenFixture.publicTiny().image("img2_190x176").toString(), "--caption", "a cat");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"probabilities\"");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("run", "inspect", "bench", "make-tiny-model")) {
            Run r = run(command, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("Usage:");
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
