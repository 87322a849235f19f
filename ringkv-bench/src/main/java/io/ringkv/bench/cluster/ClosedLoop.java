package io.ringkv.bench.cluster;

import io.ringkv.bench.common.ProcessMeters;
import io.ringkv.bench.common.ProgressMeter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one phase: {@code threads} platform threads, each issuing its next request as soon as
 * the previous one is answered (a closed loop: offered load adapts to the cluster's speed, so
 * latency figures are those of a saturated client pool, not of a fixed arrival rate). The phase
 * ends when its time is up or its operation budget is spent, whichever comes first; a progress
 * line is printed every interval.
 */
final class ClosedLoop {
    /** One operation of a phase; {@code index} counts the phase's operations from 0. */
    interface Step {
        void run(long index, SplittableRandom random, WorkerStats stats);
    }

    private static final long JOIN_GRACE_MILLIS = 60_000;

    private ClosedLoop() {
    }

    /** {@code maxOps} 0 means no count limit. */
    static PhaseResult run(PrintStream out, String name, int threads, Duration time, long maxOps, long seed,
                           Duration progressInterval, Step step) {
        AtomicLong issued = new AtomicLong();
        long deadline = System.nanoTime() + time.toNanos();
        List<WorkerStats> stats = new ArrayList<>(threads);
        List<Thread> workers = new ArrayList<>(threads);
        ProcessMeters before = ProcessMeters.now();
        long start = System.nanoTime();
        try (ProgressMeter progress = ProgressMeter.start(out, name, maxOps, progressInterval)) {
            for (int t = 0; t < threads; t++) {
                WorkerStats s = new WorkerStats();
                stats.add(s);
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + t);
                workers.add(Thread.ofPlatform().name("bench-" + name + "-" + t).start(() -> {
                    while (System.nanoTime() < deadline) {
                        long index = issued.getAndIncrement();
                        if (maxOps > 0 && index >= maxOps) {
                            return;
                        }
                        step.run(index, random, s);
                        progress.add(1);
                    }
                }));
            }
            joinAll(workers, time);
        }
        long elapsed = System.nanoTime() - start;
        return PhaseResult.merge(name, stats, elapsed, ProcessMeters.now().since(before));
    }

    /** Each worker stops at the deadline after its request in flight; that request is bounded by the client's timeout. */
    private static void joinAll(List<Thread> workers, Duration time) {
        long until = System.nanoTime() + time.toNanos() + JOIN_GRACE_MILLIS * 1_000_000;
        for (Thread w : workers) {
            try {
                long leftMillis = Math.max(1, (until - System.nanoTime()) / 1_000_000);
                w.join(leftMillis);
                if (w.isAlive()) {
                    throw new IllegalStateException(w.getName() + " still running " + JOIN_GRACE_MILLIS / 1000
                            + " s after the phase ended");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers", e);
            }
        }
    }
}
