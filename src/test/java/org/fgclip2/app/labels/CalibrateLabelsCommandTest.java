package org.fgclip2.app.labels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.inference.DeviceSpec;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.inference.InferenceOptions;
import org.fgclip2.model.Precision;
import org.fgclip2.model.TextWalk;
import org.fgclip2.testing.GoldenFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code labels calibrate} end to end on the tiny public model: the thresholds it writes are those the calibration
 * gives for scores this test computes on its own (one image at a time, the scoring formula written out), the
 * report's plots are PNGs, and the label file it writes reads back with those thresholds.
 */
class CalibrateLabelsCommandTest {

    private static final Path MODEL = GoldenFixture.BUNDLED.toAbsolutePath();
    private static final String LABELS = """
            # calibrated by the test
            labels:
              - id: ring
                prompts: ["purple ring", "a green triangle above a purple ring"]
                threshold: 0.3   # a guess
              - id: box
                prompts: 红色的盒子
              - id: 猫
                prompts: ["一只黑白相间的猫坐在红色的盒子旁边。"]
                long: true
              - id: nothing
                prompts: a small checkerboard
            """;

    @TempDir
    Path dir;

    private Path images;
    private final List<String> files = new ArrayList<>();

    @BeforeEach
    void images() throws Exception {
        images = Files.createDirectories(dir.resolve("images"));
        for (String name : List.of("img0_160x90.png", "img1_33x77.png", "img2_190x176.png")) {
            Files.copy(MODEL.resolve(name), images.resolve(name));
            files.add(name);
        }
        SplittableRandom random = new SplittableRandom(3);
        Files.createDirectories(images.resolve("more"));
        for (int i = 0; i < 9; i++) {
            BufferedImage image = new BufferedImage(40 + 13 * i, 90 - 5 * i, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, (x * 255 / image.getWidth()) << 16 | random.nextInt(256) << 8 | (i * 28));
                }
            }
            String name = "more/gen" + i + ".png";
            ImageIO.write(image, "png", images.resolve(name).toFile());
            files.add(name);
        }
    }

    @Test
    void writesTheThresholdsTheCalibrationGivesForTheModelsScores() throws Exception {
        Path labelFile = Files.writeString(dir.resolve("labels.yaml"), LABELS);
        List<LabelDefinition> labels = LabelFile.read(labelFile, null).labels();
        Map<String, float[]> scores = scoresOneByOne(labels);
        CalibrationTarget target = new CalibrationTarget(CalibrationTarget.Metric.PRECISION, 0.6);
        StringBuilder truth = new StringBuilder("file,labelId,positive\n");
        List<ThresholdCalibration.Result> expected = new ArrayList<>();
        for (int l = 0; l < labels.size(); l++) {
            String id = labels.get(l).getLabelId();
            int label = l;
            // a label applies to the upper half of its scores, except for a mistake at the second highest and at
            // the lowest; "nothing" applies to no image; box's truth of the last image is unknown
            List<String> ranked = new ArrayList<>(files);
            ranked.sort(Comparator.comparingDouble((String f) -> scores.get(f)[label]).reversed());
            List<ThresholdCalibration.Example> set = new ArrayList<>();
            for (int rank = 0; rank < ranked.size(); rank++) {
                String file = ranked.get(rank);
                if (id.equals("box") && file.equals(files.get(files.size() - 1))) {
                    continue;
                }
                boolean positive = !id.equals("nothing")
                        && (rank < ranked.size() / 2) != (rank == 1 || rank == ranked.size() - 1);
                truth.append(file).append(',').append(id).append(',').append(positive ? "yes" : "no").append('\n');
                set.add(new ThresholdCalibration.Example(scores.get(file)[label], positive));
            }
            expected.add(ThresholdCalibration.calibrate(set, target));
        }
        Path truthCsv = Files.writeString(dir.resolve("truth.csv"), truth);
        Path out = dir.resolve("calibrated.yaml");
        Path report = dir.resolve("report");

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = new CommandLine(new LabelsCommand());
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(stderr));
        int exit = cli.execute("calibrate", labelFile.toString(), "--images", images.toString(), "--truth",
                truthCsv.toString(), "--target-precision", "0.6", "--model", MODEL.toString(), "--device", "cpu",
                // one image per forward as here: a batch changes the last bits of a score with its batch mates
                "--dtype", "f32", "--batch-size", "1", "--out", out.toString(), "--report", report.toString());

        assertThat(exit).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("scored 12/12 images");
        JsonNode json = new ObjectMapper().readTree(report.resolve("calibration.json").toFile());
        assertThat(json.path("target").path("metric").asText()).isEqualTo("precision");
        assertThat(json.path("target").path("value").asDouble()).isEqualTo(0.6);
        assertThat(json.path("images").asInt()).isEqualTo(files.size());
        JsonNode jsonLabels = json.path("labels");
        assertThat(jsonLabels).hasSize(labels.size());
        assertThat(expected.stream().filter(r -> r.threshold() != null)).as("a test that calibrates something")
                .hasSizeGreaterThanOrEqualTo(2);
        List<Float> written = new ArrayList<>();
        for (int l = 0; l < labels.size(); l++) {
            JsonNode j = jsonLabels.get(l);
            ThresholdCalibration.Result e = expected.get(l);
            assertThat(j.path("labelId").asText()).isEqualTo(labels.get(l).getLabelId());
            assertThat(j.path("support").asInt()).isEqualTo(e.support());
            assertThat(j.path("negatives").asInt()).isEqualTo(e.negatives());
            if (e.threshold() == null) {
                assertThat(j.path("threshold").isNull()).as(j.toString()).isTrue();
                assertThat(j.path("reason").asText()).isEqualTo(e.reason());
                written.add(labels.get(l).getThreshold());
            } else {
                assertThat(j.path("threshold").floatValue()).as(j.toString()).isEqualTo(e.threshold());
                assertThat(j.path("precision").asDouble()).isEqualTo(e.chosen().precision());
                assertThat(j.path("recall").asDouble()).isEqualTo(e.chosen().recall());
                written.add(e.threshold());
            }
            if (e.averagePrecision() == null) {
                assertThat(j.path("averagePrecision").isNull()).isTrue();
            } else {
                assertThat(j.path("averagePrecision").asDouble()).isEqualTo(e.averagePrecision());
            }
            BufferedImage plot = ImageIO.read(report.resolve(j.path("plot").asText()).toFile());
            assertThat(plot.getWidth()).isEqualTo(PrecisionRecallPlots.WIDTH);
            assertThat(plot.getHeight()).isEqualTo(PrecisionRecallPlots.HEIGHT);
        }
        assertThat(jsonLabels.get(2).path("plot").asText()).as("a Chinese id").isEqualTo("pr-003.png");
        assertThat(jsonLabels.get(3).path("reason").asText()).contains("no image of the truth CSV is positive");
        BufferedImage overview = ImageIO.read(report.resolve("overview.png").toFile());
        assertThat(overview.getHeight()).isEqualTo(PrecisionRecallPlots.OVERVIEW_HEADER
                + 2 * PrecisionRecallPlots.CELL_HEIGHT);

        assertThat(LabelFile.read(out, null).labels()).extracting(LabelDefinition::getThreshold)
                .containsExactlyElementsOf(written);
        assertThat(Files.readString(out)).startsWith("# calibrated by the test\n");
        assertThat(stdout.toString()).contains("nothing  no threshold (keeps the default)",
                "wrote " + out + ": ");
    }

    @Test
    void aTruthCsvWithMistakesIsRefusedBeforeTheModelLoadsWithEveryProblem() throws Exception {
        Path labelFile = Files.writeString(dir.resolve("labels.yaml"), LABELS);
        Path truthCsv = Files.writeString(dir.resolve("truth.csv"), """
                labelId,file,positive
                ring,img0_160x90.png,yes
                ring,missing.png,no
                dog,img1_33x77.png,no
                box,more/gen1.png,maybe
                ring,./img0_160x90.png,no
                box,../labels.yaml,no
                """);

        StringWriter stderr = new StringWriter();
        CommandLine cli = new CommandLine(new LabelsCommand());
        cli.setErr(new PrintWriter(stderr));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(e.getMessage());
            return 2;
        });
        int exit = cli.execute("calibrate", labelFile.toString(), "--images", images.toString(), "--truth",
                truthCsv.toString(), "--target-recall", "0.9", "--model", dir.resolve("no-model").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(stderr.toString().replace(System.lineSeparator(), "\n")).isEqualTo(truthCsv
                + ": 5 problems in the truth CSV; nothing was scored\n"
                + "  line 3: no image 'missing.png' in " + images.toAbsolutePath() + "\n"
                + "  line 4: unknown label 'dog': the label file defines ring, box, 猫, nothing\n"
                + "  line 5: positive must be yes or no, not 'maybe'\n"
                + "  line 6: image 'img0_160x90.png' and label 'ring' are already given at line 2 (one row per image"
                + " and label)\n"
                + "  line 7: '../labels.yaml' is not inside the image folder " + images.toAbsolutePath()
                + " (write paths relative to it)\n");
    }

    /** Each image's scores per label, from a forward of that image alone: {@code sigmoid} of the best cosine. */
    private Map<String, float[]> scoresOneByOne(List<LabelDefinition> labels) throws Exception {
        Map<String, float[]> out = new TreeMap<>();
        ImageDecoder decoder = new ImageDecoder(new AppConfig(Map.of()).imageLimits(), true);
        try (FgClip2Inference inference = FgClip2Inference.load(MODEL, "tiny", InferenceOptions.on(DeviceSpec.CPU,
                Precision.F32))) {
            List<float[][]> prompts = new ArrayList<>();
            for (LabelDefinition d : labels) {
                prompts.add(inference.embedTexts(d.getPrompts(), d.getLong$() ? TextWalk.LONG : TextWalk.SHORT)
                        .normalized());
            }
            for (String file : files) {
                float[] image = inference.embedImages(List.of(inference.imageProcessor().preprocess(
                        decoder.decode(Files.readAllBytes(images.resolve(file))))))[0];
                float[] s = new float[labels.size()];
                for (int l = 0; l < labels.size(); l++) {
                    double best = Double.NEGATIVE_INFINITY;
                    for (float[] prompt : prompts.get(l)) {
                        double cos = 0;
                        for (int d = 0; d < prompt.length; d++) {
                            cos += (double) image[d] * prompt[d];
                        }
                        best = Math.max(best, (float) cos);
                    }
                    s[l] = (float) inference.scoring().probability(best);
                }
                out.put(file, s);
            }
        }
        return out;
    }
}
