package io.ringkv.core.version;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues this node's dot counters: strictly increasing, never reused, and above any counter of
 * this node that a client's context shows. Uniqueness is what lets concurrent writes through
 * one node stay siblings (see {@link Versioned}); it must hold across restarts too, so the
 * counter never drops below wall-clock time in {@value #TICKS_PER_MILLI} ticks per
 * millisecond. After a restart the node resumes above every counter it issued before, unless
 * its wall clock moved backwards further than the node was down, or it issued more than
 * {@value #TICKS_PER_MILLI} dots per millisecond for a sustained period. The counter is
 * node-wide, not per key, so issuing one needs no read of the key's current versions.
 *
 * <p>Thread-safe.
 */
public final class DotCounter {
    /** Counter ticks per wall-clock millisecond, the floor after a restart. */
    public static final long TICKS_PER_MILLI = 1000;
    /**
     * How far ahead of the wall-clock floor a context may put this node's counter: a context
     * further ahead is forged or from a node whose clock ran wild, and accepting it would push
     * the counter towards overflow for good. About 11.5 days of ticks.
     */
    public static final long MAX_TICKS_AHEAD = 1_000_000_000_000L;

    private final String nodeId;
    private final AtomicLong last = new AtomicLong();

    public DotCounter(String nodeId) {
        this.nodeId = NodeIds.require(nodeId);
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * The next dot of this node for a write on top of {@code context}.
     *
     * @throws IllegalArgumentException if the context's counter for this node is implausibly far ahead
     */
    public Dot next(VectorClock context, long nowMillis) {
        long seen = context.counter(nodeId);
        long floor = Math.max(0, nowMillis) * TICKS_PER_MILLI;
        if (seen > Math.max(floor, last.get()) + MAX_TICKS_AHEAD) {
            throw new IllegalArgumentException("the context claims counter " + seen + " for node " + nodeId
                    + ", far ahead of any counter this node can have issued");
        }
        long issued = last.updateAndGet(prev -> Math.max(Math.max(prev, seen), floor - 1) + 1);
        return new Dot(nodeId, issued);
    }
}
