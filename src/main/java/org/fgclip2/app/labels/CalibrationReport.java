package org.fgclip2.app.labels;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.fgclip2.app.cli.UserInputException;

/**
 * The report folder of a calibration: {@code calibration.json}, a precision–recall plot per label and
 * {@code overview.png}.
 */
final class CalibrationReport {

    static final String JSON = "calibration.json";
    static final String OVERVIEW = "overview.png";
    private static final int MAX_NAME_CHARS = 40;

    private CalibrationReport() {
    }

    /**
     * {@code calibration.json} as written.
     *
     * @param images the images scored
     * @param unreadable images of the truth CSV left out because they cannot be decoded
     */
    record Document(Target target, String model, String labelFile, int images, List<String> unreadable,
                    String overview, List<Label> labels) {
    }

    record Target(String metric, double value) {
    }

    /**
     * One label; precision and recall are those at the threshold, null without one.
     *
     * @param support the positive images of its set
     */
    record Label(String labelId, Float threshold, String reason, Double precision, Double recall, int support,
                 int negatives, Double averagePrecision, Float previousThreshold, String plot, List<CurvePoint> curve) {
    }

    record CurvePoint(float threshold, double precision, double recall) {
    }

    /**
     * The plot's file name of the label at {@code number} (from 1): the number keeps names unique and in file order
     * whatever the ids, and the id's ASCII letters, digits, {@code -}, {@code _} make it recognisable.
     */
    static String plotFile(int number, String labelId) {
        StringBuilder safe = new StringBuilder();
        labelId.codePoints().forEach(c -> safe.append(c < 128 && (Character.isLetterOrDigit(c) || c == '-'
                || c == '_') ? (char) c : '_'));
        String name = safe.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
        if (name.length() > MAX_NAME_CHARS) {
            name = name.substring(0, MAX_NAME_CHARS);
        }
        return String.format(Locale.ROOT, "pr-%03d%s.png", number, name.isEmpty() ? "" : "-" + name);
    }

    static void write(Path folder, CalibrationTarget target, String modelId, Path labelFile, int images,
                      List<String> unreadable, List<CalibratedLabel> labels) {
        try {
            Files.createDirectories(folder);
            for (CalibratedLabel label : labels) {
                ImageIO.write(PrecisionRecallPlots.label(label, target), "png",
                        folder.resolve(label.plotFile()).toFile());
            }
            ImageIO.write(PrecisionRecallPlots.overview(labels, target), "png", folder.resolve(OVERVIEW).toFile());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(folder.resolve(JSON).toFile(), document(target, modelId, labelFile, images, unreadable, labels));
        } catch (IOException e) {
            throw new UserInputException("cannot write the report into " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Document document(CalibrationTarget target, String modelId, Path labelFile, int images,
                                     List<String> unreadable, List<CalibratedLabel> labels) {
        return new Document(new Target(target.metric().key(), target.value()), modelId, labelFile.toString(), images,
                unreadable, OVERVIEW, labels.stream().map(CalibrationReport::label).toList());
    }

    private static Label label(CalibratedLabel l) {
        ThresholdCalibration.Result r = l.result();
        ThresholdCalibration.Point p = r.chosen();
        return new Label(l.labelId(), r.threshold(), r.reason(), p == null ? null : p.precision(),
                p == null ? null : p.recall(), r.support(), r.negatives(), r.averagePrecision(),
                l.previousThreshold(), l.plotFile(),
                r.curve().stream().map(c -> new CurvePoint(c.threshold(), c.precision(), c.recall())).toList());
    }
}
