package io.ringkv.cluster.time;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time and deferred work: the one seam through which every part of a node that measures time,
 * waits or times out reaches the clock - the coordinator's deadlines and speculative retries,
 * gossip rounds, the ring joiner, the in-memory network's delays. Production runs on
 * {@link #realTime}; a simulation runs whole clusters on one {@link ManualScheduler}, so that a
 * seed replays a run exactly (TigerBeetle's VOPR, FoundationDB's simulator).
 *
 * <p>The wall clock (version timestamps, generations) is a {@link java.time.Clock} beside this;
 * a simulation derives it from the same virtual time ({@link ManualScheduler#clock}).
 */
public interface Scheduler {
    /** Monotonic nanoseconds; only differences matter. */
    long nowNanos();

    /** Monotonic milliseconds; only differences matter. */
    default long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos());
    }

    /** Runs {@code task} once, {@code delayMillis} from now; the handle cancels it if it has not run. */
    Scheduled schedule(long delayMillis, Runnable task);

    /** A task scheduled to run later. */
    @FunctionalInterface
    interface Scheduled {
        /** Stops the task from running if it has not started; harmless afterwards. */
        void cancel();
    }

    /** Wall-clock scheduling on an executor, timed by {@link System#nanoTime}. */
    static Scheduler realTime(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return new Scheduler() {
            @Override
            public long nowNanos() {
                return System.nanoTime();
            }

            @Override
            public Scheduled schedule(long delayMillis, Runnable task) {
                ScheduledFuture<?> future = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }
        };
    }
}
