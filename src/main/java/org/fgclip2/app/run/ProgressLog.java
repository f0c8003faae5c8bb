package org.fgclip2.app.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The info-level progress line: images/s since the last line, totals, stream state, consumer lag. */
final class ProgressLog implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("org.fgclip2.progress");

    private final LabelingApp app;
    private double lastCount;
    private long lastNanos = System.nanoTime();

    ProgressLog(LabelingApp app) {
        this.app = app;
    }

    @Override
    public void run() {
        try {
            double count = app.labelingMetrics().imagesLabelledTotal();
            long now = System.nanoTime();
            double rate = (count - lastCount) / ((now - lastNanos) / 1e9);
            lastCount = count;
            lastNanos = now;
            LOG.info("progress state={} images={} rate={}/s lag={}", app.streams().state(), (long) count,
                    String.format("%.2f", rate), lag());
        } catch (RuntimeException e) {
            LOG.debug("progress line failed", e);
        }
    }

    private String lag() {
        double total = 0;
        boolean any = false;
        for (var metric : app.streams().metrics().values()) {
            if (metric.metricName().name().equals("records-lag")
                    && metric.metricName().group().equals("consumer-fetch-manager-metrics")
                    && metric.metricValue() instanceof Double d && !d.isNaN()) {
                total += d;
                any = true;
            }
        }
        return any ? String.valueOf((long) total) : "n/a";
    }
}
