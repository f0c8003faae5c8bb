package org.fgclip2.app.labels;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Precision–recall charts drawn with Java2D: one per label, and an overview of every label as small multiples.
 * The curve is drawn as steps whose area is the average precision: from one point's recall to the next at the next
 * point's precision, through the points where recall rises. A point that only adds false positives is left out:
 * it would draw a spike down and back, and is never the chosen one (at equal recall, more precision wins).
 */
final class PrecisionRecallPlots {

    static final int WIDTH = 800;
    static final int HEIGHT = 600;
    static final int CELL_WIDTH = 300;
    static final int CELL_HEIGHT = 250;
    static final int OVERVIEW_HEADER = 96;
    private static final int MAX_COLUMNS = 6;

    private static final Color CURVE = new Color(0x1f77b4);
    private static final Color CHOSEN = new Color(0xff7f0e);
    private static final Color TARGET = new Color(0xd62728);
    private static final Color GRID = new Color(0xe0e0e0);
    private static final Color FOUND = new Color(0x2ca02c).darker();
    private static final String FONT = Font.SANS_SERIF;

    private PrecisionRecallPlots() {
    }

    /** The chart of one label. */
    static BufferedImage label(CalibratedLabel label, CalibrationTarget target) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        ThresholdCalibration.Result r = label.result();
        g.setColor(Color.BLACK);
        g.setFont(new Font(FONT, Font.BOLD, 20));
        fit(g, "#" + label.number() + "  " + label.labelId(), 20, 30, WIDTH - 40);
        g.setFont(new Font(FONT, Font.PLAIN, 14));
        fit(g, "AP " + number(r.averagePrecision()) + "  ·  " + r.support() + " positive, " + r.negatives()
                + " negative images  ·  target " + target, 20, 52, WIDTH - 40);
        g.setColor(r.chosen() == null ? TARGET : FOUND);
        fit(g, r.chosen() == null ? "no threshold: " + r.reason() : "threshold " + r.chosen().threshold()
                + " (precision " + number(r.chosen().precision()) + ", recall " + number(r.chosen().recall())
                + ")", 20, 72, WIDTH - 40);
        Rectangle area = new Rectangle(80, 95, WIDTH - 80 - 30, HEIGHT - 95 - 65);
        chart(g, area, r, target, 13);
        g.setColor(Color.BLACK);
        g.setFont(new Font(FONT, Font.PLAIN, 14));
        centered(g, "recall", area.x + area.width / 2, HEIGHT - 18);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        centered(rotated, "precision", -(area.y + area.height / 2), 24);
        rotated.dispose();
        if (r.chosen() != null) {
            annotate(g, area, r.chosen());
        }
        g.dispose();
        return image;
    }

    /** Every label's chart, small, in label-file order, under a header with the legend. */
    static BufferedImage overview(List<CalibratedLabel> labels, CalibrationTarget target) {
        int columns = Math.max(1, Math.min(MAX_COLUMNS, (int) Math.ceil(Math.sqrt(labels.size()))));
        int rows = Math.max(1, (labels.size() + columns - 1) / columns);
        BufferedImage image = new BufferedImage(Math.max(columns * CELL_WIDTH, 720),
                OVERVIEW_HEADER + rows * CELL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        long found = labels.stream().filter(l -> l.result().chosen() != null).count();
        g.setColor(Color.BLACK);
        g.setFont(new Font(FONT, Font.BOLD, 18));
        fit(g, "Precision–recall per label  ·  target " + target, 12, 26, image.getWidth() - 24);
        g.setFont(new Font(FONT, Font.PLAIN, 14));
        fit(g, found + " of " + labels.size() + " labels have a threshold", 12, 50, image.getWidth() - 24);
        legend(g, 12, 76);
        for (int i = 0; i < labels.size(); i++) {
            CalibratedLabel label = labels.get(i);
            ThresholdCalibration.Result r = label.result();
            int x = (i % columns) * CELL_WIDTH;
            int y = OVERVIEW_HEADER + (i / columns) * CELL_HEIGHT;
            g.setColor(Color.BLACK);
            g.setFont(new Font(FONT, Font.BOLD, 13));
            fit(g, "#" + label.number() + " " + label.labelId(), x + 10, y + 16, CELL_WIDTH - 20);
            g.setFont(new Font(FONT, Font.PLAIN, 12));
            g.setColor(r.chosen() == null ? TARGET : FOUND);
            fit(g, "AP " + number(r.averagePrecision()) + " · n+ " + r.support() + " · "
                    + (r.chosen() == null ? "no threshold" : "t " + r.chosen().threshold()), x + 10, y + 32,
                    CELL_WIDTH - 20);
            chart(g, new Rectangle(x + 34, y + 42, CELL_WIDTH - 50, CELL_HEIGHT - 70), r, target, 10);
        }
        g.dispose();
        return image;
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    /** Axes with a grid every 0.1, tick labels, the target, the curve and the chosen point. */
    private static void chart(Graphics2D g, Rectangle area, ThresholdCalibration.Result r, CalibrationTarget target,
                              int fontSize) {
        g.setFont(new Font(FONT, Font.PLAIN, fontSize));
        FontMetrics fm = g.getFontMetrics();
        int step = area.width >= 400 ? 1 : 5; // label every tenth on a big chart, every half on a small one
        for (int i = 0; i <= 10; i++) {
            double v = i / 10.0;
            int x = x(area, v);
            int y = y(area, v);
            g.setColor(GRID);
            g.drawLine(x, area.y, x, area.y + area.height);
            g.drawLine(area.x, y, area.x + area.width, y);
            if (i % step == 0) {
                String tick = String.format(Locale.ROOT, "%.1f", v);
                g.setColor(Color.DARK_GRAY);
                g.drawString(tick, x - fm.stringWidth(tick) / 2, area.y + area.height + fm.getAscent() + 3);
                g.drawString(tick, area.x - fm.stringWidth(tick) - 4, y + fm.getAscent() / 2 - 1);
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(area.x, area.y, area.width, area.height);

        Graphics2D dashed = (Graphics2D) g.create();
        dashed.setColor(TARGET);
        dashed.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 5f}, 0f));
        if (target.metric() == CalibrationTarget.Metric.PRECISION) {
            dashed.drawLine(area.x, y(area, target.value()), area.x + area.width, y(area, target.value()));
        } else {
            dashed.drawLine(x(area, target.value()), area.y, x(area, target.value()), area.y + area.height);
        }
        dashed.dispose();

        if (r.curve().isEmpty()) {
            g.setColor(Color.GRAY);
            centered(g, "no positive images: no curve", area.x + area.width / 2, area.y + area.height * 3 / 4);
            return;
        }
        Path2D.Double steps = new Path2D.Double();
        double recall = 0;
        for (ThresholdCalibration.Point p : r.curve()) {
            if (p.recall() > recall) {
                if (steps.getCurrentPoint() == null) {
                    steps.moveTo(x(area, 0), y(area, p.precision()));
                }
                steps.lineTo(x(area, recall), y(area, p.precision()));
                steps.lineTo(x(area, p.recall()), y(area, p.precision()));
                recall = p.recall();
            }
        }
        Graphics2D curve = (Graphics2D) g.create();
        curve.setColor(CURVE);
        curve.setStroke(new BasicStroke(area.width >= 400 ? 2.5f : 1.8f));
        curve.draw(steps);
        curve.dispose();
        if (r.chosen() != null) {
            double radius = area.width >= 400 ? 7 : 5;
            Ellipse2D dot = new Ellipse2D.Double(x(area, r.chosen().recall()) - radius,
                    y(area, r.chosen().precision()) - radius, 2 * radius, 2 * radius);
            g.setColor(CHOSEN);
            g.fill(dot);
            g.setColor(Color.BLACK);
            g.draw(dot);
        }
    }

    /** The chosen point's numbers in a box beside it, inside the chart. */
    private static void annotate(Graphics2D g, Rectangle area, ThresholdCalibration.Point p) {
        g.setFont(new Font(FONT, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        String[] lines = {"threshold " + p.threshold(), "precision " + number(p.precision()),
                "recall " + number(p.recall())};
        int width = 0;
        for (String line : lines) {
            width = Math.max(width, fm.stringWidth(line));
        }
        width += 16;
        int height = lines.length * fm.getHeight() + 10;
        int px = x(area, p.recall());
        int py = y(area, p.precision());
        // left of the point when it is in the right half, below it when it is in the upper half
        int bx = px > area.x + area.width / 2 ? px - width - 14 : px + 14;
        int by = py < area.y + area.height / 2 ? py + 14 : py - height - 14;
        bx = Math.max(area.x + 4, Math.min(bx, area.x + area.width - width - 4));
        by = Math.max(area.y + 4, Math.min(by, area.y + area.height - height - 4));
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(bx, by, width, height);
        g.setColor(CHOSEN.darker());
        g.drawRect(bx, by, width, height);
        g.setColor(Color.BLACK);
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], bx + 8, by + 5 + fm.getAscent() + i * fm.getHeight());
        }
    }

    private static void legend(Graphics2D g, int x, int y) {
        g.setFont(new Font(FONT, Font.PLAIN, 13));
        Graphics2D line = (Graphics2D) g.create();
        line.setColor(CURVE);
        line.setStroke(new BasicStroke(2.5f));
        line.drawLine(x, y - 4, x + 24, y - 4);
        line.dispose();
        g.setColor(Color.BLACK);
        g.drawString("precision–recall curve (area = AP)", x + 30, y);
        int x2 = x + 40 + g.getFontMetrics().stringWidth("precision–recall curve (area = AP)");
        g.setColor(CHOSEN);
        g.fillOval(x2, y - 9, 10, 10);
        g.setColor(Color.BLACK);
        g.drawOval(x2, y - 9, 10, 10);
        g.drawString("chosen threshold", x2 + 16, y);
        int x3 = x2 + 30 + g.getFontMetrics().stringWidth("chosen threshold");
        Graphics2D dashed = (Graphics2D) g.create();
        dashed.setColor(TARGET);
        dashed.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 5f}, 0f));
        dashed.drawLine(x3, y - 4, x3 + 24, y - 4);
        dashed.dispose();
        g.drawString("target", x3 + 30, y);
    }

    private static int x(Rectangle area, double recall) {
        return area.x + (int) Math.round(recall * area.width);
    }

    private static int y(Rectangle area, double precision) {
        return area.y + area.height - (int) Math.round(precision * area.height);
    }

    private static void centered(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    /** Draws text cut with an ellipsis to fit the width. */
    private static void fit(Graphics2D g, String text, int x, int y, int width) {
        FontMetrics fm = g.getFontMetrics();
        String shown = text;
        while (fm.stringWidth(shown) > width && shown.length() > 1) {
            shown = shown.substring(0, shown.length() - 2) + "…";
        }
        g.drawString(shown, x, y);
    }

    private static String number(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.3f", value);
    }
}
