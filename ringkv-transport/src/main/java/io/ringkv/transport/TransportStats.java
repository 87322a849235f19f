package io.ringkv.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link NettyTransport}, for the server to export (Pebble's event-listener idea:
 * the transport has no metrics dependency, the composition root reads these). All counts are
 * totals since the transport was created; byte counts are whole frames as they cross the wire.
 */
public final class TransportStats {
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder protocolViolations = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder rejectedBusy = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder errorResponsesSent = new LongAdder();
    final LongAdder errorResponsesReceived = new LongAdder();
    final LongAdder expiredDropped = new LongAdder();
    final LongAdder lateResponses = new LongAdder();

    TransportStats() {}

    /** Well-formed frames received. */
    public long framesIn() {
        return framesIn.sum();
    }

    public long framesOut() {
        return framesOut.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Connections closed because the peer broke the protocol (bad magic, checksum, length, ...). */
    public long protocolViolations() {
        return protocolViolations.sum();
    }

    /** Requests this node sent that got no response before their deadline. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Requests failed fast because a peer's in-flight limit or write buffer was full. */
    public long rejectedBusy() {
        return rejectedBusy.sum();
    }

    public long connectFailures() {
        return connectFailures.sum();
    }

    /** Outgoing connections established. */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    public long errorResponsesSent() {
        return errorResponsesSent.sum();
    }

    public long errorResponsesReceived() {
        return errorResponsesReceived.sum();
    }

    /** Received requests dropped unexecuted (or unanswered) because their deadline had passed. */
    public long expiredDropped() {
        return expiredDropped.sum();
    }

    /** Responses that arrived after their request had timed out. */
    public long lateResponses() {
        return lateResponses.sum();
    }

    @Override
    public String toString() {
        return "TransportStats{framesIn=" + framesIn() + ", framesOut=" + framesOut() + ", bytesIn=" + bytesIn()
                + ", bytesOut=" + bytesOut() + ", protocolViolations=" + protocolViolations() + ", timeouts=" + timeouts()
                + ", rejectedBusy=" + rejectedBusy() + ", connectFailures=" + connectFailures()
                + ", connectionsOpened=" + connectionsOpened() + ", errorResponsesSent=" + errorResponsesSent()
                + ", errorResponsesReceived=" + errorResponsesReceived() + ", expiredDropped=" + expiredDropped()
                + ", lateResponses=" + lateResponses() + "}";
    }
}
