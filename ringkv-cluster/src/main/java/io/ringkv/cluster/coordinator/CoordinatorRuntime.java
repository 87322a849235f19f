package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.time.Scheduler;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * What a coordinator runs on: the actor its writes carry, the {@link Scheduler} of its deadlines
 * and speculative retries (its only clock for durations), the executor for work that may block
 * (disk reads, fsync waits, read repair), and its source of randomness (the order reads ask
 * replicas in). A node gets {@link #ownThreads} - virtual threads and a timer thread, stopped on
 * close; a simulation gets {@link #simulated}, where everything runs as tasks of one virtual-time
 * scheduler, so a seed replays the run.
 */
public final class CoordinatorRuntime {
    /** Each call on the calling thread's own generator: shared by threads without contention. */
    private static final RandomGenerator THREAD_LOCAL_RANDOM = new RandomGenerator() {
        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }
    };

    private final String actor;
    private final long alreadyIssued;
    private final Scheduler timer;
    private final Executor blockingWork;
    private final RandomGenerator random;
    private final Runnable stop;

    private CoordinatorRuntime(String actor, long alreadyIssued, Scheduler timer, Executor blockingWork,
                               RandomGenerator random, Runnable stop) {
        this.actor = Objects.requireNonNull(actor, "actor");
        this.alreadyIssued = alreadyIssued;
        this.timer = Objects.requireNonNull(timer, "timer");
        this.blockingWork = Objects.requireNonNull(blockingWork, "blockingWork");
        this.random = Objects.requireNonNull(random, "random");
        this.stop = stop;
    }

    /**
     * Threads of the coordinator's own, writing as {@code actor} above the counters it issued
     * before ({@code alreadyIssued}, 0 for a new actor); close waits up to {@code drainMillis} for
     * blocking work in flight (forwarded writes, read repairs).
     */
    public static CoordinatorRuntime ownThreads(String actor, long alreadyIssued, long drainMillis) {
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringkv-coordinator").factory());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("ringkv-coordinator-timer").daemon().factory());
        timer.setRemoveOnCancelPolicy(true); // most timers are cancelled: answers beat deadlines
        return new CoordinatorRuntime(actor, alreadyIssued, Scheduler.realTime(timer), executor, THREAD_LOCAL_RANDOM, () -> {
            executor.shutdown();
            try {
                executor.awaitTermination(drainMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer.shutdown(); // pending deadlines still fire, ending requests in flight
        });
    }

    /**
     * Everything on {@code scheduler}: blocking work runs as its next task (a simulation has one
     * thread), and random choices come from {@code random}.
     */
    public static CoordinatorRuntime simulated(String actor, Scheduler scheduler, RandomGenerator random) {
        return new CoordinatorRuntime(actor, 0, scheduler, task -> scheduler.schedule(0, task), random, () -> { });
    }

    String actor() {
        return actor;
    }

    long alreadyIssued() {
        return alreadyIssued;
    }

    Scheduler timer() {
        return timer;
    }

    Executor blockingWork() {
        return blockingWork;
    }

    RandomGenerator random() {
        return random;
    }

    void stop() {
        stop.run();
    }
}
