package io.ringkv.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds every exchange in progress on a client's connections: one daemon thread closes a
 * connection whose exchange is past its deadline, which makes the caller's blocked read or write
 * fail at once, and the connection then reports the failure as a timeout
 * ({@link HttpConnection#exchange}).
 *
 * <p>Why not {@code SO_TIMEOUT}: a socket channel's read with a timeout switches the socket to
 * non-blocking and back around every read (two {@code fcntl}), tries a read that finds nothing
 * yet, and then polls: five system calls where a blocking read makes one. In durable YCSB A the
 * client's system calls per operation fell from 14 to 5.3 this way, and its CPU per operation by
 * about a tenth (docs/decisions/java-client-http.md). The exchanges cost this class two
 * concurrent-set operations and a volatile read each; the thread wakes about once per timeout
 * period, when the earliest deadline it planned for has passed.
 *
 * <p>Times are nanoseconds since this object was made ({@link #now()}), so that "no deadline"
 * can be {@link Long#MAX_VALUE} and compared with {@code <}.
 */
final class AnswerDeadlines implements AutoCloseable {
    private static final long NONE = Long.MAX_VALUE;

    private final long base = System.nanoTime();
    private final Set<HttpConnection> inExchange = ConcurrentHashMap.newKeySet();
    /** The earliest deadline begun since the thread last started a scan: one it may have missed. */
    private final AtomicLong earliestBegun = new AtomicLong(NONE);
    /** When the thread will look next ({@link #NONE}: not until an exchange begins). */
    private volatile long wakeAt = NONE;
    private volatile boolean closed;
    /** Replaced only when a closed client is used again (guarded by this for that). */
    private volatile Thread thread;
    /** Whether the thread ended: the client closed and no exchange was in progress. Guarded by this. */
    private boolean ended;

    AnswerDeadlines() {
        thread = startThread();
    }

    private Thread startThread() {
        return Thread.ofPlatform().daemon().name("ringkv-client-deadlines").start(this::run);
    }

    /** Nanoseconds since this object was made: the clock of every deadline given to it. */
    long now() {
        return System.nanoTime() - base;
    }

    /** {@code c} began an exchange due at {@code due} ({@link #now()}'s clock); it must call {@link #end}. */
    void begin(HttpConnection c, long due) {
        inExchange.add(c);
        earliestBegun.accumulateAndGet(due, Math::min);
        if (closed) {
            restartIfEnded(); // a closed client may still be called; its connections are closed after use
        }
        if (due < wakeAt) {
            LockSupport.unpark(thread);
        }
    }

    private synchronized void restartIfEnded() {
        if (ended) {
            ended = false;
            wakeAt = NONE;
            thread = startThread();
        }
    }

    /** Ends the thread if the client is closed and nothing is in progress (checked under the lock {@link #begin} restarts under). */
    private synchronized boolean endIfIdle() {
        if (closed && inExchange.isEmpty()) {
            ended = true;
            return true;
        }
        return false;
    }

    void end(HttpConnection c) {
        inExchange.remove(c);
    }

    private void run() {
        while (!endIfIdle()) {
            earliestBegun.set(NONE);
            long now = now();
            long next = NONE;
            for (HttpConnection c : inExchange) {
                long due = c.due();
                if (due <= now) {
                    c.expire(due);
                } else if (due < next) {
                    next = due;
                }
            }
            next = Math.min(next, earliestBegun.get());
            wakeAt = next;
            // An exchange that began during the scan and read the old wakeAt did not unpark us:
            // its deadline is in earliestBegun by now (it is recorded before wakeAt is read).
            if (earliestBegun.get() < next) {
                continue;
            }
            if (next == NONE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, next - now());
            }
        }
    }

    /** Lets the thread end once no exchange is in progress: those still going keep their deadlines. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
