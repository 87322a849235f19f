package io.ringkv.core.ring;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** How many replicas a key has and where they may go. */
public sealed interface ReplicationStrategy permits ReplicationStrategy.Simple, ReplicationStrategy.PerDataCenter {

    /** Upper bound on replicas per key (and per data center), so walks and fan-outs stay small. */
    int MAX_REPLICAS = 64;

    /** Total replicas a key gets when the ring has enough nodes. */
    int totalReplicas();

    /**
     * N replicas anywhere on the ring: the first N distinct nodes clockwise from the key,
     * preferring distinct (data center, rack) pairs while there are enough of them.
     */
    record Simple(int replicas) implements ReplicationStrategy {
        public Simple {
            requireReplicas(replicas, "replicas");
        }

        @Override
        public int totalReplicas() {
            return replicas;
        }
    }

    /**
     * A replica count per data center, e.g. {dc1: 3, dc2: 2}: within each data center, the
     * first distinct nodes clockwise from the key, distinct racks first.
     */
    record PerDataCenter(Map<String, Integer> replicasPerDataCenter) implements ReplicationStrategy {
        public PerDataCenter {
            if (replicasPerDataCenter.isEmpty()) {
                throw new IllegalArgumentException("per-data-center replication needs at least one data center");
            }
            TreeMap<String, Integer> copy = new TreeMap<>();
            replicasPerDataCenter.forEach((dc, n) -> {
                if (dc == null || dc.isBlank()) {
                    throw new IllegalArgumentException("data center name must not be blank");
                }
                requireReplicas(n, "replicas in " + dc);
                copy.put(dc, n);
            });
            replicasPerDataCenter = Collections.unmodifiableSortedMap(copy);
        }

        @Override
        public int totalReplicas() {
            return replicasPerDataCenter.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    static ReplicationStrategy simple(int replicas) {
        return new Simple(replicas);
    }

    static ReplicationStrategy perDataCenter(Map<String, Integer> replicasPerDataCenter) {
        return new PerDataCenter(replicasPerDataCenter);
    }

    private static void requireReplicas(Integer n, String what) {
        if (n == null || n < 1 || n > MAX_REPLICAS) {
            throw new IllegalArgumentException(what + " must be between 1 and " + MAX_REPLICAS + ", got " + n);
        }
    }
}
