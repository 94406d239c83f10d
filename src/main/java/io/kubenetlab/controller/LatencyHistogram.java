package io.kubenetlab.controller;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Latencies kept whole (the last 100,000), so a benchmark reads exact percentiles and /metrics gives
 * Prometheus' cumulative buckets, as kube-proxy's network_programming_duration_seconds does.
 */
public final class LatencyHistogram {
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5};
    private static final int KEEP = 100_000;
    private final List<Long> nanos = new ArrayList<>();
    private long count;
    private double sumSeconds;

    public synchronized void record(long durationNanos) {
        nanos.add(durationNanos);
        if (nanos.size() > KEEP) nanos.remove(0);
        count++;
        sumSeconds += durationNanos / 1e9;
    }

    /** The p-th percentile of the last {@code window} samples (a benchmark leaves its warm-up out). */
    public synchronized double percentileMillis(double p, int window) {
        if (nanos.isEmpty() || window <= 0) return Double.NaN;
        List<Long> sorted = new ArrayList<>(nanos.subList(Math.max(0, nanos.size() - window), nanos.size()));
        Collections.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx))) / 1e6;
    }

    /** As Prometheus text; the exact quantiles cover the last {@code window} samples. */
    public synchronized String prometheus(String name, String help, int window) {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" histogram\n");
        for (double b : BUCKETS) {
            long le = nanos.stream().filter(n -> n / 1e9 <= b).count();
            sb.append(name).append("_bucket{le=\"").append(b).append("\"} ").append(le).append('\n');
        }
        sb.append(name).append("_bucket{le=\"+Inf\"} ").append(nanos.size()).append('\n');
        sb.append(name).append("_sum ").append(sumSeconds).append('\n');
        sb.append(name).append("_count ").append(count).append('\n');
        // Exact quantiles of the kept samples too (a summary beside the histogram): what a benchmark reads.
        sb.append("# TYPE ").append(name).append("_quantile gauge\n");
        for (double q : new double[]{50, 90, 99, 100}) {
            double ms = percentileMillis(q, window);
            sb.append(name).append("_quantile{quantile=\"").append(q / 100).append("\"} ").append(Double.isNaN(ms) ? "NaN" : ms / 1000).append('\n');
        }
        return sb.toString();
    }

}
