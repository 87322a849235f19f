package io.ringkv.bench.common;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Prints "label: done / planned ops, rate" every interval while a long benchmark row runs, so
 * a person watching knows it is alive and sees throughput change (a flush stall shows up as a
 * dip). Workers call {@link #add(long)} (a {@link LongAdder}: no contention between writer
 * threads); a daemon thread does the printing, so the measured loop never formats text.
 */
public final class ProgressMeter implements AutoCloseable {
    private static final long JOIN_TIMEOUT_MILLIS = 5_000;

    private final PrintStream out;
    private final String label;
    private final long plannedOps;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final LongAdder done = new LongAdder();
    private final long startNanos;
    private final Thread printer;

    private ProgressMeter(PrintStream out, String label, long plannedOps, Duration interval, LongSupplier nanoClock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("progress interval must be positive, was " + interval);
        }
        this.out = out;
        this.label = label;
        this.plannedOps = plannedOps;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.printer = Thread.ofPlatform().daemon().name("progress-" + label).unstarted(this::printLoop);
    }

    /**
     * Starts printing a line to {@code out} every {@code interval} until closed. A
     * {@code plannedOps} of 0 or less means "unknown" (a run bounded by time): lines then show
     * the ops done without a total.
     */
    public static ProgressMeter start(PrintStream out, String label, long plannedOps, Duration interval) {
        ProgressMeter meter = new ProgressMeter(out, label, plannedOps, interval, System::nanoTime);
        meter.printer.start();
        return meter;
    }

    public void add(long ops) {
        done.add(ops);
    }

    public long done() {
        return done.sum();
    }

    private void printLoop() {
        long lastDone = 0;
        long lastNanos = startNanos;
        // Bounded by close(): it interrupts the sleep; the loop also ends if the owner forgot to
        // close, because the thread is a daemon.
        while (!Thread.currentThread().isInterrupted()) {
            try {
                TimeUnit.NANOSECONDS.sleep(intervalNanos);
            } catch (InterruptedException e) {
                return;
            }
            long now = nanoClock.getAsLong();
            long total = done.sum();
            double windowSeconds = Math.max(1e-9, (now - lastNanos) / 1e9);
            String planned = plannedOps > 0 ? String.format(Locale.ROOT, " / %,d", plannedOps) : "";
            out.printf(Locale.ROOT, "  .. %s: %,d%s ops, %,.0f ops/s (last %.1f s), %.1f s elapsed%n",
                    label, total, planned, (total - lastDone) / windowSeconds, windowSeconds,
                    (now - startNanos) / 1e9);
            lastDone = total;
            lastNanos = now;
        }
    }

    @Override
    public void close() {
        printer.interrupt();
        try {
            printer.join(JOIN_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
