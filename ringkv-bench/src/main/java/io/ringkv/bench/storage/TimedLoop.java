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
        GET_MISSING,
        /**
         * A uniformly random key in [0, keySpan), read and checked or (with even odds) written
         * again with its own value, so later reads still know what to expect.
         */
        MIXED
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
    /** Where reads put values: the engines' reads fill a caller's buffer (BenchEngine.get). */
    private final byte[] valueBuffer;
    private final byte[][] readKeys = KeySpace.readScratch();

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
        this.valueBuffer = new byte[keys.valueBytes()];
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
            boolean random = kind == Kind.GET_EXISTING || kind == Kind.MIXED;
            long index = random ? this.random.nextLong(keySpan) : base + n;
            // Reads reuse key arrays; writes need their own (an engine may keep the array it is given).
            byte[] key = kind == Kind.PUT || kind == Kind.MIXED ? keys.key(index) : keys.keyForRead(index, readKeys);
            long nanos;
            switch (kind) {
                case PUT -> nanos = put(key, index);
                case GET_EXISTING -> nanos = getExisting(key, index);
                case GET_MISSING -> {
                    long t0 = System.nanoTime();
                    int length = engine.get(key, valueBuffer);
                    nanos = System.nanoTime() - t0;
                    if (length >= 0) {
                        wrongAnswers++;
                    }
                }
                case MIXED -> nanos = this.random.nextBoolean() ? put(key, index) : getExisting(key, index);
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

    private long put(byte[] key, long index) {
        byte[] value = keys.value(index);
        long t0 = System.nanoTime();
        engine.put(key, value);
        long nanos = System.nanoTime() - t0;
        userBytes += key.length + value.length;
        return nanos;
    }

    private long getExisting(byte[] key, long index) {
        long t0 = System.nanoTime();
        int length = engine.get(key, valueBuffer);
        long nanos = System.nanoTime() - t0;
        if (length != valueBuffer.length || !keys.isValueOf(index, valueBuffer)) {
            wrongAnswers++;
        }
        return nanos;
    }
}
