package io.ringkv.core.ring.sim;

import io.ringkv.core.ring.BalancedTokenAllocator;
import java.util.List;

/**
 * What {@link RingSimulation} runs.
 *
 * @param nodeCounts          cluster sizes to measure, each in [1, 10000]
 * @param vnodesPerWeightUnit vnodes of a node of weight 1
 * @param weights             node capacities: all equal, or a seeded mix of 0.5, 1 and 2
 * @param allocation          how joining nodes choose tokens
 * @param replicas            N for the informational replica columns
 * @param racks               nodes are spread round-robin over this many racks (replicas go to distinct racks)
 * @param seed                seeds the weight mix and random tokens
 */
public record SimRingParams(List<Integer> nodeCounts, int vnodesPerWeightUnit, WeightMix weights,
        Allocation allocation, int replicas, int racks, long seed) {

    public enum WeightMix { UNIFORM, MIXED }

    public enum Allocation { BALANCED, RANDOM }

    public static final List<Integer> DEFAULT_NODE_COUNTS = List.of(10, 20, 50, 100, 200, 500, 1000);
    public static final int MAX_NODES = 10_000;

    public SimRingParams {
        nodeCounts = List.copyOf(nodeCounts);
        if (nodeCounts.isEmpty()) {
            throw new IllegalArgumentException("at least one node count is needed");
        }
        for (int n : nodeCounts) {
            if (n < 1 || n > MAX_NODES) {
                throw new IllegalArgumentException("node counts must be between 1 and " + MAX_NODES + ", got " + n);
            }
        }
        if (vnodesPerWeightUnit < 1 || vnodesPerWeightUnit > 4096) {
            throw new IllegalArgumentException("vnodes per weight unit must be between 1 and 4096, got " + vnodesPerWeightUnit);
        }
        if (replicas < 1 || replicas > 16) {
            throw new IllegalArgumentException("replicas must be between 1 and 16, got " + replicas);
        }
        if (racks < 1 || racks > 64) {
            throw new IllegalArgumentException("racks must be between 1 and 64, got " + racks);
        }
        java.util.Objects.requireNonNull(weights, "weights");
        java.util.Objects.requireNonNull(allocation, "allocation");
    }

    public static SimRingParams defaults() {
        return new SimRingParams(DEFAULT_NODE_COUNTS, BalancedTokenAllocator.DEFAULT_VNODES_PER_WEIGHT_UNIT,
                WeightMix.UNIFORM, Allocation.BALANCED, 3, 1, 42);
    }

    public SimRingParams withNodeCounts(List<Integer> counts) {
        return new SimRingParams(counts, vnodesPerWeightUnit, weights, allocation, replicas, racks, seed);
    }

    public SimRingParams withVnodes(int vnodes) {
        return new SimRingParams(nodeCounts, vnodes, weights, allocation, replicas, racks, seed);
    }

    public SimRingParams withWeights(WeightMix mix) {
        return new SimRingParams(nodeCounts, vnodesPerWeightUnit, mix, allocation, replicas, racks, seed);
    }

    public SimRingParams withAllocation(Allocation a) {
        return new SimRingParams(nodeCounts, vnodesPerWeightUnit, weights, a, replicas, racks, seed);
    }

    public SimRingParams withRacks(int r) {
        return new SimRingParams(nodeCounts, vnodesPerWeightUnit, weights, allocation, replicas, r, seed);
    }

    public SimRingParams withReplicas(int n) {
        return new SimRingParams(nodeCounts, vnodesPerWeightUnit, weights, allocation, n, racks, seed);
    }

    public SimRingParams withSeed(long s) {
        return new SimRingParams(nodeCounts, vnodesPerWeightUnit, weights, allocation, replicas, racks, s);
    }
}
