package io.ringkv.storage.wal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Writers waiting for an fsync without a thread of their own: futures that the commit log's
 * sync thread completes once their position is durable (docs/design/commit-log.md, "Waiting
 * without a thread").
 *
 * <p>Why: a node's replica write used to park a virtual thread per write in the
 * {@link GroupCommitQueue} only to complete a future when woken; under a write-heavy load those
 * threads' scheduling (a fork-join hand-off and a futex wake per write) cost more CPU than the
 * fsync they waited for. Here a write costs one queue entry, and one thread completes a whole
 * group's futures after its fsync.
 *
 * <p>Only the sync thread completes futures, so whatever a caller chains on them runs there, off
 * the writers' and the engine's locks; chained work must be short and must not block.
 */
final class DurableFutures {
    private record Waiter(long pos, CompletableFuture<Void> future) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Waiters in arrival order; positions need not be ascending (append and wait are not atomic). */
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private volatile int size;
    /** The sync thread sleeps until {@code size} reaches this (0: it is not sleeping). */
    private int wakeAt;
    private boolean wakeRequested;
    private boolean closed;

    /** A future the sync thread completes once {@code pos} is durable; null once closed. */
    CompletableFuture<Void> add(long pos) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            waiting.addLast(new Waiter(pos, future));
            size = waiting.size();
            if (wakeAt > 0 && size >= wakeAt) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** How many futures wait. */
    int size() {
        return size;
    }

    /**
     * The sync thread's idle wait: returns true once a future waits or {@link #wake} was called,
     * false once closed (the sync thread then settles the remaining futures and ends).
     */
    boolean awaitWork() throws InterruptedException {
        lock.lock();
        try {
            while (waiting.isEmpty() && !wakeRequested && !closed) {
                wakeAt = 1;
                changed.await();
            }
            wakeAt = 0;
            wakeRequested = false;
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** The sync thread gathers a group: waits until {@code target} futures wait, or the deadline passes. */
    void awaitGroup(int target, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (waiting.size() < target && !wakeRequested && !closed) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                wakeAt = target;
                changed.awaitNanos(remaining);
            }
            wakeAt = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the sync thread look again (the log failed, or a roll made positions durable). */
    void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Completes every future whose position is at most {@code durablePos}; on the sync thread. */
    void completeUpTo(long durablePos) {
        for (Waiter w : removeUpTo(durablePos)) {
            w.future.complete(null);
        }
    }

    /** Fails every waiting future with {@code failure}'s exception; on the sync thread. */
    void failAll(Supplier<? extends RuntimeException> failure) {
        for (Waiter w : removeUpTo(Long.MAX_VALUE)) {
            w.future.completeExceptionally(failure.get());
        }
    }

    /** No more waits: the sync thread's {@link #awaitWork} returns false. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private List<Waiter> removeUpTo(long durablePos) {
        lock.lock();
        try {
            List<Waiter> covered = new ArrayList<>(waiting.size());
            for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
                Waiter w = it.next();
                if (w.pos <= durablePos) {
                    it.remove();
                    covered.add(w);
                }
            }
            size = waiting.size();
            return covered;
        } finally {
            lock.unlock();
        }
    }
}
