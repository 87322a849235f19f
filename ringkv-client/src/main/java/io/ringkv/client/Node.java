package io.ringkv.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node the client talks to: its address, its pool of idle keep-alive connections, and
 * its back-off state. The pool is a LIFO stack, so a busy client keeps reusing the same few
 * warm connections and surplus ones age out; it holds at most {@code maxIdle} connections
 * (a connection returned beyond that is closed), and connections idle longer than
 * {@code idleTimeoutNanos} are closed instead of reused, since the node or a middlebox may
 * have dropped them.
 */
final class Node {
    private final URI uri;
    private final InetSocketAddress address;
    private final String hostHeader;
    private final int maxIdle;
    private final long idleTimeoutNanos;
    private final AnswerDeadlines deadlines;
    private final ConcurrentLinkedDeque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    /** Ticker time until which the node is skipped (unless every node is); 0 when it is healthy. */
    private volatile long backoffUntil;
    private volatile boolean inBackoff;
    private volatile boolean closed;

    Node(URI uri, int maxIdle, long idleTimeoutNanos, AnswerDeadlines deadlines) {
        this.deadlines = deadlines;
        this.uri = uri;
        this.address = InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort());
        this.hostHeader = uri.getHost() + ":" + uri.getPort();
        this.maxIdle = maxIdle;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    URI uri() {
        return uri;
    }

    String hostHeader() {
        return hostHeader;
    }

    /** An idle pooled connection, or null if there is none that is fresh enough. */
    HttpConnection pollIdle() {
        HttpConnection c;
        while ((c = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            if (System.nanoTime() - c.lastUsedNanos() < idleTimeoutNanos) {
                return c;
            }
            c.close();
        }
        return null;
    }

    HttpConnection connect(int connectTimeoutMillis) throws IOException {
        // Resolved per connection, not once: a name may move to another address while the client runs.
        InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
        if (resolved.isUnresolved()) {
            throw new UnknownHostException(address.getHostString());
        }
        return HttpConnection.open(uri, resolved, connectTimeoutMillis, deadlines);
    }

    void release(HttpConnection c) {
        if (closed || idleCount.incrementAndGet() > maxIdle) {
            if (!closed) {
                idleCount.decrementAndGet();
            }
            c.close();
            return;
        }
        idle.offerFirst(c);
        if (closed) { // close() may have drained the pool between the check and the offer
            drain();
        }
    }

    boolean isInBackoff(long now) {
        return inBackoff && now - backoffUntil < 0;
    }

    void backOff(long now, long backoffTicks) {
        backoffUntil = now + backoffTicks;
        inBackoff = true;
    }

    /** Called after a successful exchange; a plain volatile read in the common, healthy case. */
    void markHealthy() {
        if (inBackoff) {
            inBackoff = false;
        }
    }

    /** Closes the idle connections: after one failed, the others most likely lead to the same dead process. */
    void discardIdle() {
        drain();
    }

    void close() {
        closed = true;
        drain();
    }

    private void drain() {
        HttpConnection c;
        while ((c = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            c.close();
        }
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
