package io.ringkv.server.config;

import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.core.ring.ReplicationStrategy;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dynamo's N, R and W (§4.5), and how a request waits for them.
 *
 * @param n                    N, replicas per key: anywhere on the ring, or the sum of perDataCenter
 * @param r                    replies a read waits for by default
 * @param w                    acknowledgements a write waits for by default
 * @param perDataCenter        replicas per data center; when not empty it replaces n
 * @param requestTimeoutMillis how long a coordinator waits for R or W replicas
 * @param readRepair           whether reads bring stale replicas up to date
 * @param readFromAll          whether a read asks all N replicas rather than R
 * @param speculativeRetryMillis a read short of R answers after this long asks one more replica; 0 never
 * @param handoff              the sloppy quorum and hinted handoff (docs/design/hinted-handoff.md)
 * @param consistency          which replicas a request's quorum counts when it names none: {@code COUNT} (r and
 *                             w), {@code LOCAL_QUORUM} or {@code EACH_QUORUM} (docs/design/coordinator.md, "Data centers")
 */
public record ReplicationConfig(int n, int r, int w, Map<String, Integer> perDataCenter, long requestTimeoutMillis,
                                boolean readRepair, boolean readFromAll, long speculativeRetryMillis,
                                HandoffConfig handoff, Consistency consistency) {

    /** With the default consistency: {@link #defaultConsistency}. */
    public ReplicationConfig(int n, int r, int w, Map<String, Integer> perDataCenter, long requestTimeoutMillis,
                             boolean readRepair, boolean readFromAll, long speculativeRetryMillis, HandoffConfig handoff) {
        this(n, r, w, perDataCenter, requestTimeoutMillis, readRepair, readFromAll, speculativeRetryMillis, handoff,
                defaultConsistency(perDataCenter));
    }

    /**
     * The rule of docs/configuration.md: a local quorum when replicas are placed per data center
     * (so a data center cut off from the others stays readable and writable), else r and w.
     */
    public static Consistency defaultConsistency(Map<String, Integer> perDataCenter) {
        return perDataCenter.isEmpty() ? Consistency.COUNT : Consistency.LOCAL_QUORUM;
    }

    /** With the sloppy quorum and hinted handoff's defaults. */
    public ReplicationConfig(int n, int r, int w, Map<String, Integer> perDataCenter, long requestTimeoutMillis,
                             boolean readRepair, boolean readFromAll, long speculativeRetryMillis) {
        this(n, r, w, perDataCenter, requestTimeoutMillis, readRepair, readFromAll, speculativeRetryMillis,
                HandoffConfig.DEFAULTS);
    }

    public ReplicationConfig {
        if (!perDataCenter.isEmpty() && perDataCenter.values().stream().mapToInt(Integer::intValue).sum() != n) {
            throw new IllegalArgumentException("n must be the sum of perDataCenter when it is set");
        }
        perDataCenter = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(perDataCenter));
        if (consistency == null || consistency == Consistency.DEFAULT) {
            throw new IllegalArgumentException("consistency must be count, local_quorum or each_quorum, got " + consistency);
        }
    }

    /** Where replicas go: Simple(n), or PerDataCenter when set. */
    public ReplicationStrategy strategy() {
        return perDataCenter.isEmpty() ? ReplicationStrategy.simple(n) : ReplicationStrategy.perDataCenter(perDataCenter);
    }

}
