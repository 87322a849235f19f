package io.ringkv.cluster.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A scheduler with a virtual clock that only moves when a test moves it.
 *
 * <p>Why: TigerBeetle-style simulation. Every delay in the in-memory network (latency, request
 * timeouts, queued deliveries), every gossip round and every coordinator deadline becomes a task
 * here, so a test runs whole clusters single-threaded, in a fixed order, without sleeping; the
 * same seed replays the same run. Tasks due at the same millisecond run in the order they were
 * scheduled.
 *
 * <p>Not thread-safe against concurrent {@link #advanceMillis}/{@link #runUntilIdle} calls; tasks
 * may be scheduled from any thread.
 */
public final class ManualScheduler implements Scheduler {

    /** Bound on tasks one advance may run, so a task that keeps rescheduling itself at delay 0 fails loudly. */
    public static final int MAX_TASKS_PER_RUN = 1_000_000;

    private static final class Task implements Scheduled {
        final long dueMillis;
        final long sequence;
        final Runnable action;
        volatile boolean cancelled;

        Task(long dueMillis, long sequence, Runnable action) {
            this.dueMillis = dueMillis;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.dueMillis != b.dueMillis
            ? Long.compare(a.dueMillis, b.dueMillis)
            : Long.compare(a.sequence, b.sequence));
    private long nowMillis;
    private long nextSequence;

    /** Starts the virtual clock at 0. */
    public ManualScheduler() {
        this(0);
    }

    public ManualScheduler(long startMillis) {
        this.nowMillis = startMillis;
    }

    @Override
    public synchronized long nowMillis() {
        return nowMillis;
    }

    @Override
    public synchronized long nowNanos() {
        return nowMillis * 1_000_000;
    }

    @Override
    public synchronized Scheduled schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must not be negative, was " + delayMillis);
        }
        Task t = new Task(nowMillis + delayMillis, nextSequence++, task);
        tasks.add(t);
        return t;
    }

    /**
     * A wall clock on this virtual time: {@code epochMillis} at virtual time 0, plus {@code skewMillis}
     * (a node whose clock is off). Version timestamps and generations in a simulation come from it.
     */
    public Clock clock(long epochMillis, long skewMillis) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("a simulated clock is UTC");
            }

            @Override
            public long millis() {
                return epochMillis + skewMillis + nowMillis();
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }
        };
    }

    /** Runs every task already due (including ones they schedule at delay 0); returns how many ran. */
    public int runUntilIdle() {
        return advanceMillis(0);
    }

    /**
     * Moves the clock forward by {@code millis}, running each task when its due time is reached,
     * in due-time order; returns how many tasks ran.
     */
    public int advanceMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("millis must not be negative, was " + millis);
        }
        long targetMillis;
        synchronized (this) {
            targetMillis = nowMillis + millis;
        }
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                Task head = tasks.peek();
                if (head == null || head.dueMillis > targetMillis) {
                    nowMillis = targetMillis;
                    return ran;
                }
                next = tasks.poll();
                nowMillis = Math.max(nowMillis, next.dueMillis);
            }
            if (next.cancelled) {
                continue;
            }
            if (++ran > MAX_TASKS_PER_RUN) {
                throw new IllegalStateException("more than " + MAX_TASKS_PER_RUN
                        + " tasks in one advance; a task probably reschedules itself without delay");
            }
            next.action.run();
        }
    }

    /** Jumps the clock to the next task and runs every task due then; returns false if none is pending. */
    public boolean runNext() {
        long gapMillis;
        synchronized (this) {
            Task head = tasks.peek();
            if (head == null) {
                return false;
            }
            gapMillis = Math.max(0, head.dueMillis - nowMillis);
        }
        advanceMillis(gapMillis);
        return true;
    }

    /** Tasks scheduled and not yet run. */
    public synchronized int pendingTasks() {
        return tasks.size();
    }
}
