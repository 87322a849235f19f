package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import java.time.Clock;
import java.util.Objects;

/**
 * Settings of the quorum coordinator (docs/design/coordinator.md).
 *
 * @param strategy             how many replicas a key has and where (N = {@code strategy.totalReplicas()})
 * @param defaultReadQuorum    R when a request does not set one; 1..N
 * @param defaultWriteQuorum   W when a request does not set one; 1..N
 * @param defaultTimeoutMillis deadline of a request that does not set one; at least 1
 * @param maxClockEntries      new versions' clocks are truncated to this many entries (Dynamo §4.4); 1..1000
 * @param conflictPolicy       must match the replica store's: siblings, or last write wins
 * @param readRepair           whether a get brings stale replicas up to date after answering
 * @param readFromAll          whether a get asks all N replicas (Dynamo §4.5) rather than R
 * @param speculativeRetryMillis a get that has fewer than R answers after this long asks one more
 *                             replica; 0 never does
 * @param clock                wall clock for version timestamps (not for deadlines)
 * @param contexts             encodes and authenticates clients' contexts: the same key on every node
 * @param handoff              the sloppy quorum and hinted handoff (docs/design/hinted-handoff.md)
 * @param defaultConsistency   which replicas count when a request says neither r/w nor a consistency:
 *                             {@code COUNT} (the default R and W), {@code LOCAL_QUORUM} or {@code EACH_QUORUM}
 *                             (docs/design/coordinator.md, "Data centers")
 */
public record CoordinatorConfig(ReplicationStrategy strategy, int defaultReadQuorum, int defaultWriteQuorum,
                                long defaultTimeoutMillis, int maxClockEntries, ConflictPolicy conflictPolicy,
                                boolean readRepair, boolean readFromAll, long speculativeRetryMillis, Clock clock,
                                ContextCodec contexts, HandoffConfig handoff, Consistency defaultConsistency) {
    public static final int DEFAULT_REPLICAS = 3;
    public static final int DEFAULT_QUORUM = 2;
    public static final long DEFAULT_TIMEOUT_MILLIS = 2000;
    public static final int DEFAULT_MAX_CLOCK_ENTRIES = 64;
    public static final long DEFAULT_SPECULATIVE_RETRY_MILLIS = 20;

    public CoordinatorConfig {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(conflictPolicy, "conflictPolicy");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(contexts, "contexts");
        Objects.requireNonNull(handoff, "handoff");
        Objects.requireNonNull(defaultConsistency, "defaultConsistency");
        if (defaultConsistency == Consistency.DEFAULT) {
            throw new IllegalArgumentException("the default consistency must be count, local_quorum or each_quorum");
        }
        int n = strategy.totalReplicas();
        if (defaultReadQuorum < 1 || defaultReadQuorum > n) {
            throw new IllegalArgumentException("default r must be between 1 and N=" + n + ", got " + defaultReadQuorum);
        }
        if (defaultWriteQuorum < 1 || defaultWriteQuorum > n) {
            throw new IllegalArgumentException("default w must be between 1 and N=" + n + ", got " + defaultWriteQuorum);
        }
        if (defaultTimeoutMillis < 1) {
            throw new IllegalArgumentException("default timeout must be at least 1 ms, got " + defaultTimeoutMillis);
        }
        if (speculativeRetryMillis < 0) {
            throw new IllegalArgumentException("speculative retry must be 0 (off) or positive, got " + speculativeRetryMillis);
        }
        if (maxClockEntries < 1 || maxClockEntries > 1000) {
            throw new IllegalArgumentException("max clock entries must be between 1 and 1000, got " + maxClockEntries);
        }
    }

    /** Counting the default R and W (Dynamo's quorums): the single-data-center default. */
    public CoordinatorConfig(ReplicationStrategy strategy, int defaultReadQuorum, int defaultWriteQuorum,
                             long defaultTimeoutMillis, int maxClockEntries, ConflictPolicy conflictPolicy,
                             boolean readRepair, boolean readFromAll, long speculativeRetryMillis, Clock clock,
                             ContextCodec contexts, HandoffConfig handoff) {
        this(strategy, defaultReadQuorum, defaultWriteQuorum, defaultTimeoutMillis, maxClockEntries, conflictPolicy,
                readRepair, readFromAll, speculativeRetryMillis, clock, contexts, handoff, Consistency.COUNT);
    }

    /**
     * N=3, R=2, W=2, 2000 ms, 64 clock entries, siblings, read repair on, reads from R replicas with
     * a speculative retry after 20 ms, system UTC clock, contexts under {@code contexts}, the
     * sloppy quorum and hinted handoff's defaults.
     */
    public static CoordinatorConfig defaults(ContextCodec contexts) {
        return new CoordinatorConfig(new ReplicationStrategy.Simple(DEFAULT_REPLICAS), DEFAULT_QUORUM, DEFAULT_QUORUM,
                DEFAULT_TIMEOUT_MILLIS, DEFAULT_MAX_CLOCK_ENTRIES, ConflictPolicy.SIBLINGS, true, false,
                DEFAULT_SPECULATIVE_RETRY_MILLIS, Clock.systemUTC(), contexts, HandoffConfig.DEFAULTS);
    }

    /** This configuration with other hinted-handoff settings. */
    public CoordinatorConfig withHandoff(HandoffConfig handoff) {
        return new CoordinatorConfig(strategy, defaultReadQuorum, defaultWriteQuorum, defaultTimeoutMillis, maxClockEntries,
                conflictPolicy, readRepair, readFromAll, speculativeRetryMillis, clock, contexts, handoff, defaultConsistency);
    }

    /** This configuration with another default consistency. */
    public CoordinatorConfig withDefaultConsistency(Consistency consistency) {
        return new CoordinatorConfig(strategy, defaultReadQuorum, defaultWriteQuorum, defaultTimeoutMillis, maxClockEntries,
                conflictPolicy, readRepair, readFromAll, speculativeRetryMillis, clock, contexts, handoff, consistency);
    }

    /** N: replicas per key when the ring has enough nodes. */
    public int replicationFactor() {
        return strategy.totalReplicas();
    }
}
