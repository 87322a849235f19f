package io.ringkv.cluster.service;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.core.version.DotCounter;
import io.ringkv.core.version.VectorClock;
import io.ringkv.core.version.Versioned;
import java.time.Clock;
import java.util.Objects;

/**
 * Mints the version a put or delete coordinated by this node creates (docs/design/versioning.md):
 * the client's context as its causal past, the next dot of this node's {@link DotCounter}, the
 * coordinator's wall-clock time, the clock truncated to {@code maxClockEntries} (Dynamo §4.4).
 * One instance per node, shared by every request: the dot counter must be node-wide. Thread-safe.
 */
public final class NewVersions {
    private final DotCounter dots;
    private final Clock clock;
    private final int maxClockEntries;

    public NewVersions(String nodeId, Clock clock, int maxClockEntries) {
        this.dots = new DotCounter(nodeId);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxClockEntries = maxClockEntries;
    }

    /** A new version on top of {@code seen}; {@code value == null} makes a tombstone. */
    public Versioned create(VectorClock seen, byte[] value) {
        long nowMillis = clock.millis();
        try {
            return Versioned.newWrite(seen, dots.next(seen, nowMillis), value, nowMillis, maxClockEntries);
        } catch (IllegalArgumentException e) {
            // a context claiming counters this node cannot have issued
            throw new InvalidRequestException("invalid context: " + e.getMessage(), e);
        }
    }
}
