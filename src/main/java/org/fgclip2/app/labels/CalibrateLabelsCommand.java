package org.fgclip2.app.labels;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fgclip2.app.cli.ModelOptions;
import org.fgclip2.app.cli.Reasons;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.LabelDefinition;
import org.fgclip2.hub.Terminal;
import org.fgclip2.image.ImageDecoder;
import org.fgclip2.inference.FgClip2Inference;
import org.fgclip2.preprocess.PatchedImage;
import org.fgclip2.topology.LabelSetScorer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Chooses each label's threshold from images whose truth is known: scores them as the labeller would, then keeps
 * per label the threshold that reaches the target precision (or recall) with the most of the other.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Choose each label's threshold on images whose truth is known: score every image of the truth"
                + " CSV as the labeller does, keep per label the threshold that reaches the target precision with"
                + " the most recall (or the target recall with the most precision), and write the label file with"
                + " those thresholds and a report with precision-recall plots.",
                "Details: docs/labels.md, \"Calibrating thresholds\"."})
final class CalibrateLabelsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Label file: .yaml, .yml or .csv, UTF-8.")
    Path labelFile;

    @Option(names = "--images", paramLabel = "DIR", required = true,
            description = "Folder the truth CSV's file names are relative to.")
    Path images;

    @Option(names = "--truth", paramLabel = "CSV", required = true,
            description = "Truth CSV with the header file,labelId,positive (yes or no), one row per image and label"
                    + " whose truth is known.")
    Path truth;

    @ArgGroup(multiplicity = "1")
    TargetOption target;

    static final class TargetOption {
        @Option(names = "--target-precision", paramLabel = "P", required = true,
                description = "Keep per label the threshold with the most recall whose precision reaches P.")
        Double precision;

        @Option(names = "--target-recall", paramLabel = "R", required = true,
                description = "Keep per label the threshold with the most precision whose recall reaches R.")
        Double recall;

        CalibrationTarget target() {
            return precision != null ? new CalibrationTarget(CalibrationTarget.Metric.PRECISION, precision)
                    : new CalibrationTarget(CalibrationTarget.Metric.RECALL, recall);
        }
    }

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the label file with the new thresholds here (may be FILE itself); comments,"
                    + " order and other fields stay. Labels without a threshold found keep theirs.")
    Path out;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write calibration.json, a precision-recall plot per label and overview.png here.")
    Path report;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
            description = "Images per forward of the vision tower. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Mixin
    ModelOptions modelOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) {
            throw new UserInputException("--batch-size must be at least 1, got " + batchSize);
        }
        CalibrationTarget goal = target.target();
        // every input is checked before the model loads: a typo costs no scoring
        LabelFile labels = LabelFile.read(labelFile, null);
        if (out != null) {
            ThresholdRewriter.requireSameFormat(labelFile, out);
        }
        List<String> ids = labels.labels().stream().map(LabelDefinition::getLabelId).toList();
        TruthTable truthTable = TruthTable.read(truth, images, ids);
        AppConfig settings = AppConfig.load(null, System.getenv());
        PrintWriter err = spec.commandLine().getErr();
        Map<String, float[]> scores;
        String modelId;
        List<String> unreadable = new ArrayList<>();
        try (FgClip2Inference inference = modelOptions.load()) {
            modelId = inference.info().id();
            scores = score(inference, LabelSetScorer.embed(inference, labels.labels()), truthTable.images(),
                    new ImageDecoder(settings.imageLimits(), true), unreadable, err);
        }
        List<CalibratedLabel> results = new ArrayList<>();
        for (int l = 0; l < ids.size(); l++) {
            List<ThresholdCalibration.Example> examples = new ArrayList<>();
            for (Map.Entry<String, Boolean> t : truthTable.of(ids.get(l)).entrySet()) {
                float[] s = scores.get(t.getKey());
                if (s != null) {
                    examples.add(new ThresholdCalibration.Example(s[l], t.getValue()));
                }
            }
            results.add(new CalibratedLabel(l + 1, ids.get(l), labels.labels().get(l).getThreshold(),
                    ThresholdCalibration.calibrate(examples, goal), CalibrationReport.plotFile(l + 1, ids.get(l))));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        results.forEach(r -> stdout.println(summary(r)));
        if (out != null) {
            Map<String, Float> thresholds = new LinkedHashMap<>();
            results.stream().filter(r -> r.result().chosen() != null)
                    .forEach(r -> thresholds.put(r.labelId(), r.result().threshold()));
            ThresholdRewriter.write(labels, thresholds, out);
            stdout.println("wrote " + out + ": " + thresholds.size() + " of " + ids.size() + " thresholds calibrated");
        }
        if (report != null) {
            if (System.getProperty("java.awt.headless") == null) {
                System.setProperty("java.awt.headless", "true"); // the plots are drawn off-screen, never shown
            }
            CalibrationReport.write(report, goal, modelId, labelFile, scores.size(), unreadable, results);
            stdout.println("wrote " + report.resolve(CalibrationReport.JSON) + ", " + CalibrationReport.OVERVIEW
                    + " and " + results.size() + " plots");
        }
        stdout.flush();
        return 0;
    }

    /**
     * Each readable image's scores, per label in file order, by image; an image that cannot be decoded is left out
     * of every set, with a warning, rather than costing the run.
     */
    private Map<String, float[]> score(FgClip2Inference inference, LabelSetScorer scorer, List<String> files,
                                       ImageDecoder decoder, List<String> unreadable, PrintWriter err) {
        Map<String, float[]> scores = new LinkedHashMap<>();
        ScoringProgress progress = new ScoringProgress(err, files.size(), Terminal.isInteractive());
        List<String> batch = new ArrayList<>();
        List<PatchedImage> patched = new ArrayList<>();
        int done = 0;
        for (String file : files) {
            try {
                patched.add(inference.imageProcessor().preprocess(decoder.decode(Files.readAllBytes(
                        images.resolve(file)))));
                batch.add(file);
            } catch (RuntimeException | IOException e) {
                err.println("left out " + file + ": cannot read it (" + Reasons.of(e) + ")");
                unreadable.add(file);
            }
            done++;
            if (batch.size() == batchSize || done == files.size()) {
                float[][] scored = patched.isEmpty() ? new float[0][] : scorer.score(inference.embedImages(patched));
                for (int i = 0; i < scored.length; i++) {
                    scores.put(batch.get(i), scored[i]);
                }
                batch.clear();
                patched.clear();
                progress.scored(done);
            }
        }
        return scores;
    }

    /** One line per label: {@code cat  threshold 0.41 (was 0.3)  precision 0.917  recall 0.786  AP 0.812 ...}. */
    private static String summary(CalibratedLabel label) {
        ThresholdCalibration.Result r = label.result();
        String counts = String.format(Locale.ROOT, "AP %s  %d positive, %d negative", r.averagePrecision() == null
                ? "-" : String.format(Locale.ROOT, "%.3f", r.averagePrecision()), r.support(), r.negatives());
        if (r.chosen() == null) {
            return label.labelId() + "  no threshold (keeps " + (label.previousThreshold() == null ? "the default"
                    : label.previousThreshold()) + "): " + r.reason() + "  " + counts;
        }
        return String.format(Locale.ROOT, "%s  threshold %s (was %s)  precision %.3f  recall %.3f  %s",
                label.labelId(), ThresholdRewriter.decimal(r.chosen().threshold()),
                label.previousThreshold() == null ? "the default" : label.previousThreshold(),
                r.chosen().precision(), r.chosen().recall(), counts);
    }
}
