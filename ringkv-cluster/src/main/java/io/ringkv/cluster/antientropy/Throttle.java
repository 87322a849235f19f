package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.time.Scheduler;
import java.util.concurrent.CompletableFuture;

/**
 * Paces anti-entropy's own I/O (tree scans, messages) to a byte rate, so that foreground
 * requests hardly notice it. Debt-based: each {@link #pace} adds its bytes to a virtual clock
 * that advances {@code 1 s / rate} per byte; the caller waits until that clock is less than a
 * burst (100 ms of budget) ahead of real time. Waiting goes through the {@link Scheduler}, never
 * a sleep, so a test's clock drives it.
 */
public final class Throttle {
    private static final long BURST_NANOS = 100_000_000L;
    private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);

    private final Scheduler scheduler;
    private final long bytesPerSecond;
    private long budgetClearAtNanos;

    /** @param bytesPerSecond 0 for no limit */
    public Throttle(Scheduler scheduler, long bytesPerSecond) {
        this.scheduler = scheduler;
        this.bytesPerSecond = bytesPerSecond;
        this.budgetClearAtNanos = scheduler.nowNanos();
    }

    /** Accounts {@code bytes} and completes when the caller may go on. */
    CompletableFuture<Void> acquire(long bytes) {
        if (bytesPerSecond == 0 || bytes <= 0) {
            return NOW;
        }
        long waitNanos;
        synchronized (this) {
            long now = scheduler.nowNanos();
            long start = Math.max(now, budgetClearAtNanos);
            budgetClearAtNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
            waitNanos = budgetClearAtNanos - now - BURST_NANOS;
        }
        if (waitNanos <= 0) {
            return NOW;
        }
        CompletableFuture<Void> go = new CompletableFuture<>();
        scheduler.schedule(Math.max(1, waitNanos / 1_000_000), () -> go.complete(null));
        return go;
    }

    /** {@link #acquire} for the blocking anti-entropy thread. */
    public void pace(long bytes) {
        acquire(bytes).join();
    }
}
