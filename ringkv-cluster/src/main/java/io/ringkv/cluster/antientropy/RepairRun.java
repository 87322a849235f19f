package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.admin.RepairProgress.State;

/**
 * The progress of one repair run, updated by the run's thread and read by anyone (admin
 * requests, metrics) as an immutable {@link RepairProgress}.
 */
final class RepairRun {
    private final long id;
    private final String trigger;
    private final String scope;
    private final long startedAtMillis;
    private final long startedAtNanos;
    private int rangesTotal;
    private int rangesDone;
    private int rangesDiffering;
    private int rangesIncomplete;
    private long keysExchanged;
    private long bytesExchanged;
    private State state = State.RUNNING;
    private String error;
    private long finishedAtNanos;

    RepairRun(long id, String trigger, String scope, long startedAtMillis, long startedAtNanos) {
        this.id = id;
        this.trigger = trigger;
        this.scope = scope;
        this.startedAtMillis = startedAtMillis;
        this.startedAtNanos = startedAtNanos;
    }

    long id() {
        return id;
    }

    String trigger() {
        return trigger;
    }

    synchronized void total(int ranges) {
        rangesTotal = ranges;
    }

    synchronized void exchanged(long keys, long bytes) {
        keysExchanged += keys;
        bytesExchanged += bytes;
    }

    /** A range is finished: compared with every replica that could be compared ({@code complete} if all). */
    synchronized void rangeDone(boolean differing, boolean complete) {
        rangesDone++;
        if (differing) {
            rangesDiffering++;
        }
        if (!complete) {
            rangesIncomplete++;
        }
    }

    synchronized int rangesIncomplete() {
        return rangesIncomplete;
    }

    /** Ends the run: DONE when every range was compared with every replica, else FAILED with {@code why}. */
    synchronized void finish(long nowNanos, String why) {
        state = why == null ? State.DONE : State.FAILED;
        error = why;
        finishedAtNanos = nowNanos;
    }

    synchronized boolean finished() {
        return state != State.RUNNING;
    }

    synchronized RepairProgress progress(long nowNanos) {
        long end = state == State.RUNNING ? nowNanos : finishedAtNanos;
        return new RepairProgress(id, trigger, scope, state, rangesTotal, rangesDone, rangesDiffering, keysExchanged,
                bytesExchanged, startedAtMillis, Math.max(0, (end - startedAtNanos) / 1_000_000), error);
    }
}
