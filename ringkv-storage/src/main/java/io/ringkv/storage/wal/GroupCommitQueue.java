package io.ringkv.storage.wal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who leads the next group fsync and who waits for it (docs/design/commit-log.md, "Write path
 * and group commit").
 *
 * <p>Why this shape: each waiter parks on its own and is unparked exactly once, when its turn is
 * decided: its position became durable, it must lead the next fsync, or the log failed. A
 * shared monitor with {@code notifyAll} woke every waiter after every fsync only for most of
 * them to find their write not yet covered and contend for the monitor again; under load that
 * spinning was a quarter of a node's CPU. The lock here guards only short list operations and is
 * never held across an fsync.
 */
final class GroupCommitQueue {
    /** A waiter's turn; set under the lock, read by the waiter without it. */
    enum Turn {
        WAITING,
        /** An fsync covered the waiter's position. */
        DURABLE,
        /** The waiter must run the next fsync (and then {@link #release}). */
        LEAD,
        /** The log failed before the waiter's position was covered. */
        FAILED,
        /** The waiter was interrupted and left the queue; nobody will wake it. */
        WITHDRAWN
    }

    private static final class Waiter {
        final long pos;
        final Thread thread = Thread.currentThread();
        volatile Turn turn = Turn.WAITING;

        Waiter(long pos) {
            this.pos = pos;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Waiters in arrival order; positions need not be ascending (append and wait are not atomic). */
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private volatile int size;
    private boolean leaderActive;
    private volatile boolean failed;
    /** A leader gathering its group, woken once {@code gatherTarget} writers wait. */
    private Thread gatherer;
    private int gatherTarget;

    /**
     * Returns {@link Turn#LEAD} at once if no leader is active; otherwise queues the caller, parks it
     * until its turn is decided and returns that turn (never {@link Turn#WAITING}). An interrupt
     * withdraws a still waiting caller ({@link Turn#WITHDRAWN}, interrupt flag kept).
     */
    Turn awaitTurn(long pos) {
        Waiter me;
        Thread wake = null;
        lock.lock();
        try {
            if (failed) {
                return Turn.FAILED;
            }
            if (!leaderActive) {
                leaderActive = true;
                return Turn.LEAD;
            }
            me = new Waiter(pos);
            waiting.addLast(me);
            size = waiting.size();
            if (gatherer != null && size >= gatherTarget) {
                wake = gatherer;
                gatherer = null;
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            LockSupport.unpark(wake);
        }
        return park(me);
    }

    private Turn park(Waiter me) {
        boolean interrupted = false;
        Turn turn;
        while ((turn = me.turn) == Turn.WAITING) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                if (withdraw(me)) {
                    Thread.currentThread().interrupt();
                    return Turn.WITHDRAWN;
                }
                interrupted = true; // the turn was decided meanwhile: honour it, keep the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return turn;
    }

    private boolean withdraw(Waiter me) {
        lock.lock();
        try {
            if (me.turn != Turn.WAITING) {
                return false;
            }
            waiting.remove(me);
            size = waiting.size();
            me.turn = Turn.WITHDRAWN;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How many writers wait behind the leader. */
    int waitingCount() {
        return size;
    }

    /**
     * The leader waits until at least {@code others} writers wait behind it, or until
     * {@code deadlineNanos} ({@link System#nanoTime}), or until it is interrupted.
     */
    void awaitGroup(int others, long deadlineNanos) {
        if (size >= others) {
            return;
        }
        lock.lock();
        try {
            if (size >= others) {
                return;
            }
            gatherer = Thread.currentThread();
            gatherTarget = others;
        } finally {
            lock.unlock();
        }
        try {
            while (size < others && !failed && !Thread.currentThread().isInterrupted()) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, remaining);
            }
        } finally {
            lock.lock();
            try {
                gatherer = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Wakes every waiter whose position is at most {@code durablePos}. */
    void completeUpTo(long durablePos) {
        List<Thread> wake;
        lock.lock();
        try {
            wake = removeCoveredLocked(durablePos);
        } finally {
            lock.unlock();
        }
        unparkAll(wake);
    }

    /**
     * The leader is done: wakes every waiter whose position is at most {@code durablePos} and
     * hands leadership to the oldest remaining waiter, or leaves no leader if none remains.
     */
    void release(long durablePos) {
        List<Thread> wake;
        lock.lock();
        try {
            wake = removeCoveredLocked(durablePos);
            Waiter next = waiting.pollFirst();
            if (next == null) {
                leaderActive = false;
            } else {
                size = waiting.size();
                next.turn = Turn.LEAD;
                wake.add(next.thread);
            }
        } finally {
            lock.unlock();
        }
        unparkAll(wake);
    }

    /** The log failed: every waiter, present and future, gets {@link Turn#FAILED}. */
    void failAll() {
        List<Thread> wake = new ArrayList<>();
        lock.lock();
        try {
            failed = true;
            for (Waiter w : waiting) {
                w.turn = Turn.FAILED;
                wake.add(w.thread);
            }
            waiting.clear();
            size = 0;
            if (gatherer != null) {
                wake.add(gatherer);
            }
        } finally {
            lock.unlock();
        }
        unparkAll(wake);
    }

    private List<Thread> removeCoveredLocked(long durablePos) {
        List<Thread> wake = new ArrayList<>(waiting.size() + 1);
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.pos <= durablePos) {
                it.remove();
                w.turn = Turn.DURABLE;
                wake.add(w.thread);
            }
        }
        size = waiting.size();
        return wake;
    }

    private static void unparkAll(List<Thread> threads) {
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }
}
