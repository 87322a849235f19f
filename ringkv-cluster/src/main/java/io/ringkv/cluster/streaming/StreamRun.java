package io.ringkv.cluster.streaming;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The counters of one join or decommission, read by {@link #progress} from any thread. */
final class StreamRun {
    private final String kind;
    private final Clock clock;
    private final long startedAtMillis;
    private volatile StreamProgress.State state = StreamProgress.State.WAITING;
    private volatile int rangesTotal;
    private final AtomicInteger rangesDone = new AtomicInteger();
    private final AtomicInteger unverified = new AtomicInteger();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile String error;
    private volatile long finishedAtMillis;

    StreamRun(String kind, Clock clock) {
        this.kind = kind;
        this.clock = clock;
        this.startedAtMillis = clock.millis();
    }

    void planned(int total, int alreadyDone) {
        rangesTotal = total;
        rangesDone.set(alreadyDone);
        state = StreamProgress.State.STREAMING;
    }

    void moved(long keyCount, long byteCount) {
        keys.addAndGet(keyCount);
        bytes.addAndGet(byteCount);
    }

    void rangeDone(boolean verified) {
        rangesDone.incrementAndGet();
        if (!verified) {
            unverified.incrementAndGet();
        }
    }

    /** A failure that the run retries: shown until the next one or the end. */
    void retrying(String why) {
        error = why;
    }

    void finished(boolean ok, String why) {
        error = why;
        finishedAtMillis = clock.millis();
        state = ok ? StreamProgress.State.DONE : StreamProgress.State.FAILED;
    }

    boolean isFinished() {
        return state == StreamProgress.State.DONE || state == StreamProgress.State.FAILED;
    }

    StreamProgress progress() {
        long end = finishedAtMillis != 0 ? finishedAtMillis : clock.millis();
        long elapsed = Math.max(1, end - startedAtMillis);
        long rate = bytes.get() * 1000 / elapsed;
        int done = rangesDone.get();
        int total = rangesTotal;
        long eta = done == 0 || total == 0 ? -1 : (elapsed * (total - done)) / done;
        return new StreamProgress(kind, state, total, done, keys.get(), bytes.get(), rate, isFinished() ? 0 : eta,
                startedAtMillis, elapsed, unverified.get(), error);
    }
}
