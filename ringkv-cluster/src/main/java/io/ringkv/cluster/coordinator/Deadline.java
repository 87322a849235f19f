package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.time.Scheduler;
import java.util.concurrent.TimeUnit;

/**
 * The instant a request must be answered by, on the node's monotonic clock (its
 * {@link Scheduler}): wall-clock jumps must not stretch or cut a deadline, and a simulation's
 * virtual time drives it like everything else. Each message carries the time left rather than
 * this instant (clocks are not comparable across nodes), as the transport does.
 */
record Deadline(Scheduler time, long deadlineNanos) {

    /** Longest budget a deadline takes; more is cut to this, so the arithmetic cannot overflow. */
    static final long MAX_MILLIS = TimeUnit.DAYS.toMillis(1);

    static Deadline afterMillis(Scheduler time, long millis) {
        return new Deadline(time, time.nowNanos() + TimeUnit.MILLISECONDS.toNanos(Math.min(millis, MAX_MILLIS)));
    }

    long remainingNanos() {
        return Math.max(0, deadlineNanos - time.nowNanos());
    }

    /** Whole milliseconds left, rounded up so that a positive remainder is at least 1; 0 when passed. */
    long remainingMillis() {
        long nanos = remainingNanos();
        return nanos == 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    /** A deadline {@code millis} from now on the same clock. */
    Deadline afterMillis(long millis) {
        return afterMillis(time, millis);
    }

    boolean passed() {
        return remainingNanos() == 0;
    }
}
