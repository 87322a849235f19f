package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.time.Scheduler;
import io.ringkv.core.version.Actors;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What a coordinator runs on: the actor its writes carry, the {@link Scheduler} of its deadlines
 * and speculative retries (its only clock for durations), and the executor for work that may
 * block (disk reads, fsync waits, read repair). A node gets {@link #ownThreads} - virtual threads
 * and a timer thread, stopped on close; a simulation gets {@link #simulated}, where everything
 * runs as tasks of one virtual-time scheduler, so a seed replays the run.
 */
public final class CoordinatorRuntime {
    private final String actor;
    private final Scheduler timer;
    private final Executor blockingWork;
    private final Runnable stop;

    private CoordinatorRuntime(String actor, Scheduler timer, Executor blockingWork, Runnable stop) {
        this.actor = Objects.requireNonNull(actor, "actor");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.blockingWork = Objects.requireNonNull(blockingWork, "blockingWork");
        this.stop = stop;
    }

    /** A fresh actor for this start of {@code nodeId}, on threads of the coordinator's own. */
    public static CoordinatorRuntime ownThreads(String nodeId) {
        return ownThreads(nodeId, Actors.newIncarnation(nodeId), 0);
    }

    /**
     * Threads of the coordinator's own, writing as {@code actor}; close waits up to
     * {@code drainMillis} for blocking work in flight (forwarded writes, read repairs).
     */
    static CoordinatorRuntime ownThreads(String nodeId, String actor, long drainMillis) {
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ringkv-coordinator").factory());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("ringkv-coordinator-timer").daemon().factory());
        timer.setRemoveOnCancelPolicy(true); // most timers are cancelled: answers beat deadlines
        return new CoordinatorRuntime(actor, Scheduler.realTime(timer), executor, () -> {
            executor.shutdown();
            try {
                executor.awaitTermination(drainMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer.shutdown(); // pending deadlines still fire, ending requests in flight
        });
    }

    /** Everything on {@code scheduler}: blocking work runs as its next task (a simulation has one thread). */
    public static CoordinatorRuntime simulated(String actor, Scheduler scheduler) {
        return new CoordinatorRuntime(actor, scheduler, task -> scheduler.schedule(0, task), () -> { });
    }

    /** The same threads, writing as {@code otherActor}: for tests that read clocks literally. */
    CoordinatorRuntime withActor(String otherActor) {
        return new CoordinatorRuntime(otherActor, timer, blockingWork, stop);
    }

    String actor() {
        return actor;
    }

    Scheduler timer() {
        return timer;
    }

    Executor blockingWork() {
        return blockingWork;
    }

    void stop() {
        stop.run();
    }
}
