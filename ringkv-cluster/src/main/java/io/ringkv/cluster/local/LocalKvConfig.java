package io.ringkv.cluster.local;

import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.core.version.ConflictPolicy;
import java.time.Clock;
import java.util.Objects;

/**
 * Settings of a single-node store.
 *
 * @param nodeId          this node's id in vector clocks
 * @param maxClockEntries vector clocks are truncated to this many entries, oldest first (Dynamo §4.4); default 10
 * @param siblingCap      most concurrent versions kept per key; default 32
 * @param conflictPolicy  siblings (client reconciles) or last write wins
 * @param clock           wall clock for version timestamps and dot counters
 */
public record LocalKvConfig(String nodeId, int maxClockEntries, int siblingCap, ConflictPolicy conflictPolicy, Clock clock) {
    public static final int DEFAULT_MAX_CLOCK_ENTRIES = 10;

    public LocalKvConfig {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
        if (maxClockEntries < 1 || maxClockEntries > 1000) {
            throw new IllegalArgumentException("max clock entries must be between 1 and 1000, got " + maxClockEntries);
        }
        if (siblingCap < 1 || siblingCap > ReplicaConfig.MAX_SIBLING_CAP) {
            throw new IllegalArgumentException("sibling cap must be between 1 and " + ReplicaConfig.MAX_SIBLING_CAP + ", got " + siblingCap);
        }
        Objects.requireNonNull(conflictPolicy, "conflictPolicy");
        Objects.requireNonNull(clock, "clock");
    }

    /** Production defaults for {@code nodeId}: 10 clock entries, 32 siblings, siblings policy, system clock. */
    public static LocalKvConfig defaults(String nodeId) {
        return new LocalKvConfig(nodeId, DEFAULT_MAX_CLOCK_ENTRIES, ReplicaConfig.DEFAULT_SIBLING_CAP,
                ConflictPolicy.SIBLINGS, Clock.systemUTC());
    }

    /** The replica settings that must match this config (the merge operator applies the cap and policy). */
    public ReplicaConfig replicaConfig(SiblingCapListener listener) {
        return new ReplicaConfig(conflictPolicy, siblingCap, listener);
    }
}
