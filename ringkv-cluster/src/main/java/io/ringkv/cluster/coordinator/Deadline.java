package io.ringkv.cluster.coordinator;

import java.util.concurrent.TimeUnit;

/**
 * The instant a request must be answered by, on the monotonic clock ({@link System#nanoTime}):
 * wall-clock jumps must not stretch or cut a deadline. Each message carries the time left
 * rather than this instant (clocks are not comparable across nodes), as the transport does.
 */
record Deadline(long deadlineNanos) {

    /** Longest budget a deadline takes; more is cut to this, so the arithmetic cannot overflow. */
    static final long MAX_MILLIS = TimeUnit.DAYS.toMillis(1);

    static Deadline afterMillis(long millis) {
        return new Deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(millis, MAX_MILLIS)));
    }

    long remainingNanos() {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    /** Whole milliseconds left, rounded up so that a positive remainder is at least 1; 0 when passed. */
    long remainingMillis() {
        long nanos = remainingNanos();
        return nanos == 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    boolean passed() {
        return remainingNanos() == 0;
    }
}
