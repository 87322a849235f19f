package io.ringkv.bench.storage;

import io.ringkv.bench.common.LatencySummary;
import io.ringkv.bench.common.ProgressMeter;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The measured loop every row shares: build the key (and value) outside the timed section,
 * time only the engine call, check the answer outside the timed section again, and stop at
 * the planned op count or the deadline, whichever comes first. One instance per thread.
 */
final class TimedLoop {
    /** What each op does and which key indices it visits. */
    enum Kind {
        /** Put key {@code base + n} for n = 0, 1, 2, ... */
        PUT,
        /** Get a uniformly random key in [0, keySpan) and check its value. */
        GET_EXISTING,
        /** Get key {@code base + n}, which was never written, and check it is absent. */
        GET_MISSING
    }

    /** How often (in ops) the loop looks at the clock for its deadline; bounds the overshoot. */
    private static final int DEADLINE_CHECK_OPS = 64;

    private final BenchEngine engine;
    private final KeySpace keys;
    private final Kind kind;
    private final long base;
    private final long keySpan;
    private final SplittableRandom random;

    long opsDone;
    long wrongAnswers;
    long userBytes;
    long elapsedNanos;
    final Histogram latencyNanos = LatencySummary.newNanosHistogram();

    /**
     * @param base    first key index for PUT and GET_MISSING
     * @param keySpan GET_EXISTING draws from [0, keySpan)
     * @param seed    seeds GET_EXISTING's choice of keys, so both engines read the same sequence
     */
    TimedLoop(BenchEngine engine, KeySpace keys, Kind kind, long base, long keySpan, long seed) {
        this.engine = engine;
        this.keys = keys;
        this.kind = kind;
        this.base = base;
        this.keySpan = keySpan;
        this.random = new SplittableRandom(seed);
    }

    /** Runs up to {@code plannedOps} ops, stopping at {@code deadlineNanos} (System.nanoTime). */
    TimedLoop run(long plannedOps, long deadlineNanos, ProgressMeter progress) {
        long start = System.nanoTime();
        long n = 0;
        long reported = 0;
        for (; n < plannedOps; n++) {
            if (n % DEADLINE_CHECK_OPS == 0 && n > 0) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    break;
                }
                if (progress != null) {
                    progress.add(n - reported);
                    reported = n;
                }
            }
            long index = kind == Kind.GET_EXISTING ? random.nextLong(keySpan) : base + n;
            byte[] key = keys.key(index);
            long nanos;
            switch (kind) {
                case PUT -> {
                    byte[] value = keys.value(index);
                    long t0 = System.nanoTime();
                    engine.put(key, value);
                    nanos = System.nanoTime() - t0;
                    userBytes += key.length + value.length;
                }
                case GET_EXISTING -> {
                    long t0 = System.nanoTime();
                    byte[] value = engine.get(key);
                    nanos = System.nanoTime() - t0;
                    if (!keys.isValueOf(index, value)) {
                        wrongAnswers++;
                    }
                }
                case GET_MISSING -> {
                    long t0 = System.nanoTime();
                    byte[] value = engine.get(key);
                    nanos = System.nanoTime() - t0;
                    if (value != null) {
                        wrongAnswers++;
                    }
                }
                default -> throw new AssertionError(kind);
            }
            LatencySummary.recordNanos(latencyNanos, nanos);
        }
        elapsedNanos = System.nanoTime() - start;
        opsDone = n;
        if (progress != null) {
            progress.add(n - reported);
        }
        return this;
    }
}
