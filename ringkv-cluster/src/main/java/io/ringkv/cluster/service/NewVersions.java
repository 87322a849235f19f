package io.ringkv.cluster.service;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.DotCounter;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.Versioned;
import java.time.Clock;
import java.util.Objects;

/**
 * Mints the version a put or delete coordinated by this node creates (docs/design/versioning.md):
 * the client's context as its causal past, the next dot of this node's actor (one per start,
 * {@link io.ringkv.core.version.Actors}), the coordinator's wall-clock time but never earlier
 * than one millisecond after the newest write the context saw (so last write wins orders a write
 * after what its writer had read, whatever the clocks of the nodes say), and the context
 * truncated (Dynamo §4.4). One instance per node, shared by every request: the dot counter must
 * be actor-wide. Thread-safe.
 */
public final class NewVersions {
    private final DotCounter dots;
    private final Clock clock;
    private final int maxClockEntries;

    public NewVersions(String actor, Clock clock, int maxClockEntries) {
        this(actor, 0, clock, maxClockEntries);
    }

    /** Resuming {@code actor}, which issued counters up to {@code alreadyIssued} before a clean stop. */
    public NewVersions(String actor, long alreadyIssued, Clock clock, int maxClockEntries) {
        this.dots = new DotCounter(actor, alreadyIssued);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxClockEntries = maxClockEntries;
    }

    /** The highest dot counter issued so far. */
    public long issued() {
        return dots.issued();
    }

    /** The actor this node's new versions are written as. */
    public String actor() {
        return dots.actor();
    }

    /**
     * A new version on top of {@code seen}, for a key of which this node holds {@code stored};
     * {@code value == null} makes a tombstone.
     */
    public Versioned create(CausalContext seen, byte[] value, Siblings stored) {
        long timestampMillis = Math.max(clock.millis(), seen.maxTimestampMillis() + 1);
        try {
            return Versioned.newWrite(seen, dots.next(seen, stored.maxCounter(dots.actor())), value, timestampMillis,
                    maxClockEntries);
        } catch (IllegalArgumentException e) {
            // a context claiming counters this node's actor never issued
            throw new InvalidRequestException("invalid context: " + e.getMessage(), e);
        }
    }
}
