package io.ringkv.server.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Throughput and latency percentiles of the last few seconds, per operation: what the dashboard
 * shows as "live". The Prometheus timers count since the node started and have no percentiles;
 * a scraper computes rates itself, a web page polling one node cannot. So this keeps, per op,
 * one histogram per wall second in a ring of slots and merges the last {@link #WINDOW_SECONDS}
 * complete seconds on read.
 *
 * <p>Buckets are log-linear (HdrHistogram's idea, in miniature): 8 per power of two of
 * microseconds, so a percentile is within about 6 % of the truth. Recording is a few atomic
 * increments and never allocates. A slot is cleared by the first recorder of a new second;
 * a sample racing that clear may be lost, which a view of rates and percentiles can afford.
 * Time comes from the injected nano clock, so tests drive it.
 */
public final class RecentLatencies {
    public static final int WINDOW_SECONDS = 5;
    private static final int SLOTS = WINDOW_SECONDS + 2; // the window, the second being filled, one being cleared
    private static final int SUB_BUCKET_BITS = 3;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = (64 - SUB_BUCKET_BITS + 1) * SUB_BUCKETS; // magnitudes 3..63, plus 0..7 exactly

    /**
     * @param perSecond       requests completed per second over the window
     * @param failedPerSecond of those, the ones that failed
     * @param p50Millis       median latency; 0 without requests
     * @param p99Millis       99th percentile latency; 0 without requests
     */
    public record OperationRate(double perSecond, double failedPerSecond, double p50Millis, double p99Millis) {
    }

    private final LongSupplier nanoClock;
    private final Map<String, Window> byOp = new ConcurrentHashMap<>();

    public RecentLatencies(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public void record(String op, long nanos, boolean succeeded) {
        byOp.computeIfAbsent(op, key -> new Window()).record(second(), Math.max(0, nanos) / 1_000, succeeded);
    }

    /** Every operation seen since the node started, by name, over the last complete seconds. */
    public Map<String, OperationRate> snapshot() {
        long now = second();
        Map<String, OperationRate> out = new TreeMap<>();
        byOp.forEach((op, window) -> out.put(op, window.rate(now)));
        return out;
    }

    private long second() {
        return Math.floorDiv(nanoClock.getAsLong(), 1_000_000_000L);
    }

    static int bucketOf(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(micros); // >= SUB_BUCKET_BITS
        int sub = (int) (micros >>> (magnitude - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (magnitude - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The middle of the bucket's range of microseconds. */
    static double bucketMiddleMicros(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int magnitude = bucket / SUB_BUCKETS - 1 + SUB_BUCKET_BITS;
        int sub = bucket % SUB_BUCKETS;
        double width = Math.pow(2, magnitude - SUB_BUCKET_BITS);
        double low = (SUB_BUCKETS + sub) * width;
        return low + width / 2;
    }

    private static final class Window {
        private final AtomicLong[] stamps = new AtomicLong[SLOTS];
        private final AtomicLongArray[] counts = new AtomicLongArray[SLOTS];
        private final AtomicLongArray failures = new AtomicLongArray(SLOTS);

        Window() {
            for (int i = 0; i < SLOTS; i++) {
                stamps[i] = new AtomicLong(Long.MIN_VALUE);
                counts[i] = new AtomicLongArray(BUCKETS);
            }
        }

        void record(long second, long micros, boolean succeeded) {
            int slot = (int) Math.floorMod(second, SLOTS);
            long stamp = stamps[slot].get();
            if (stamp != second && stamps[slot].compareAndSet(stamp, second)) {
                for (int b = 0; b < BUCKETS; b++) {
                    counts[slot].set(b, 0);
                }
                failures.set(slot, 0);
            }
            counts[slot].incrementAndGet(bucketOf(micros));
            if (!succeeded) {
                failures.incrementAndGet(slot);
            }
        }

        OperationRate rate(long now) {
            long[] merged = new long[BUCKETS];
            long total = 0;
            long failed = 0;
            for (long s = now - WINDOW_SECONDS; s < now; s++) { // complete seconds only
                int slot = (int) Math.floorMod(s, SLOTS);
                if (stamps[slot].get() != s) {
                    continue; // nothing recorded in that second
                }
                for (int b = 0; b < BUCKETS; b++) {
                    long c = counts[slot].get(b);
                    merged[b] += c;
                    total += c;
                }
                failed += failures.get(slot);
            }
            if (total == 0) {
                return new OperationRate(0, 0, 0, 0);
            }
            return new OperationRate((double) total / WINDOW_SECONDS, (double) failed / WINDOW_SECONDS,
                    percentileMillis(merged, total, 0.50), percentileMillis(merged, total, 0.99));
        }

        private static double percentileMillis(long[] merged, long total, double quantile) {
            long rank = (long) Math.ceil(quantile * total);
            long seen = 0;
            for (int b = 0; b < BUCKETS; b++) {
                seen += merged[b];
                if (seen >= rank) {
                    return bucketMiddleMicros(b) / 1_000.0;
                }
            }
            return bucketMiddleMicros(BUCKETS - 1) / 1_000.0;
        }
    }
}
