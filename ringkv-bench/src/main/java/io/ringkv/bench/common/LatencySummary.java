package io.ringkv.bench.common;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of one benchmark row, in microseconds.
 *
 * <p>Recorded with HdrHistogram (Gil Tene) rather than averaged, because an LSM engine's
 * latency is bimodal: most writes are a memtable insert, a few wait for a flush or a stall,
 * and the tail is what a client notices.
 */
public record LatencySummary(long count, double p50Micros, double p99Micros, double p999Micros, double maxMicros) {

    /** Longest latency a histogram can hold: anything slower is clamped to this (one minute). */
    public static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;

    /** A histogram of nanosecond latencies, 3 significant digits, bounded memory (~a few hundred KiB). */
    public static Histogram newNanosHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, 3);
    }

    /** Records one latency, clamping values the histogram cannot hold instead of throwing. */
    public static void recordNanos(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST_TRACKABLE_NANOS)));
    }

    public static LatencySummary of(Histogram nanos) {
        return new LatencySummary(
                nanos.getTotalCount(),
                nanos.getValueAtPercentile(50) / 1000.0,
                nanos.getValueAtPercentile(99) / 1000.0,
                nanos.getValueAtPercentile(99.9) / 1000.0,
                nanos.getMaxValue() / 1000.0);
    }
}
