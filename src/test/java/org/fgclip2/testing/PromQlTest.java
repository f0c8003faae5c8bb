package org.fgclip2.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the monitoring test relies on, on the PromQL shapes the dashboard and rules use. */
class PromQlTest {

    @Test
    void histogramQuantileOverRatesGivesTheBucketSeries() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, bucket) (rate("
                + "fgclip2_model_latency_seconds_bucket{job=\"fgclip2-streams\", instance=~\"$instance\"}"
                + "[$__rate_interval])))")).containsExactly("fgclip2_model_latency_seconds_bucket");
    }

    @Test
    void arithmeticOfSeveralSeriesWithBinaryOperatorsAndGroupingGivesEach() {
        assertThat(PromQl.metricNames("1 - sum(rate(fgclip2_batch_patch_fill_sum[5m])) / ignoring(x) group_left"
                + " sum without (instance) (rate(fgclip2_batch_patch_fill_count[5m])) > bool 0.5 and on(instance)"
                + " up == 1 unless absent(fgclip2_ready offset 1h)"))
                .containsExactly("fgclip2_batch_patch_fill_count", "fgclip2_batch_patch_fill_sum", "fgclip2_ready",
                        "up");
    }

    @Test
    void labelsStringsDurationsAndGrafanaVariablesAreNotMetrics() {
        assertThat(PromQl.metricNames("max by (topic) (kafka_consumer_fetch_manager_records_lag"
                + "{client_id=~\".*StreamThread.*\", topic='fgclip2.images'}) > 1e3 or vector(0)"
                + " + max_over_time(jvm_threads_live_threads[1h:5m]) * ${factor}"))
                .containsExactly("jvm_threads_live_threads", "kafka_consumer_fetch_manager_records_lag");
        assertThat(PromQl.metricNames("label_values(fgclip2_ready, instance)")).containsExactly("fgclip2_ready");
    }

    @Test
    void ratedNamesAreThoseUnderRateAndIncrease() {
        assertThat(PromQl.rated("sum(increase(fgclip2_dead_letters_total[1h])) / sum(rate(x_count[5m]))"
                + " + fgclip2_ready")).containsExactly("fgclip2_dead_letters_total", "x_count");
    }
}
