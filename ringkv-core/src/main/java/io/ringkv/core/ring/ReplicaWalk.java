package io.ringkv.core.ring;

import java.util.Arrays;
import java.util.Map;

/**
 * Picks a vnode's replicas by walking the ring clockwise from it (Dynamo §4.3: "the first N
 * distinct physical nodes", skipping further vnodes of nodes already chosen). Within each
 * group (the whole ring, or one data center) it first takes nodes on racks not yet used, as
 * many as there are racks; the remaining replicas are the earliest nodes in ring order not yet
 * taken, so racks repeat only when there are not enough of them (as Cassandra's
 * NetworkTopologyStrategy does). The result is in ring order from the vnode.
 */
final class ReplicaWalk {
    private ReplicaWalk() {
    }

    static int[] replicas(Ring ring, Topology topo, int startVnode, ReplicationStrategy strategy) {
        int memberCount = ring.size();
        int groups;
        int[] groupOfDc; // data center index -> group, or -1 when the strategy places nothing there
        int[] want;
        int[] needDistinct;
        switch (strategy) {
            case ReplicationStrategy.Simple s -> {
                groups = 1;
                groupOfDc = new int[topo.nodesInDataCenter.length];
                want = new int[] {Math.min(s.replicas(), memberCount)};
                needDistinct = new int[] {Math.min(s.replicas(), topo.domainCount)};
            }
            case ReplicationStrategy.PerDataCenter p -> {
                groups = p.replicasPerDataCenter().size();
                groupOfDc = new int[topo.nodesInDataCenter.length];
                Arrays.fill(groupOfDc, -1);
                want = new int[groups];
                needDistinct = new int[groups];
                int g = 0;
                for (Map.Entry<String, Integer> e : p.replicasPerDataCenter().entrySet()) {
                    Integer dc = topo.dataCenterIndex.get(e.getKey());
                    if (dc != null) {
                        groupOfDc[dc] = g;
                        want[g] = Math.min(e.getValue(), topo.nodesInDataCenter[dc]);
                        needDistinct[g] = Math.min(e.getValue(), topo.racksInDataCenter[dc]);
                    }
                    g++;
                }
            }
        }
        int totalWanted = Arrays.stream(want).sum();
        int[] picked = new int[totalWanted];
        int pickedCount = 0;
        int[] pickedInGroup = new int[groups];
        int[] distinctInGroup = new int[groups];
        boolean[] seen = new boolean[memberCount];
        boolean[] domainUsed = new boolean[topo.domainCount];
        // Nodes passed over for a repeated rack, in ring order, per group: taken first once racks run out.
        int[][] skipped = new int[groups][];
        int[] skippedCount = new int[groups];
        for (int g = 0; g < groups; g++) {
            skipped[g] = new int[Math.max(0, want[g] - needDistinct[g])];
        }
        int[] position = new int[memberCount];

        int vnodes = ring.tokenCount();
        for (int step = 0; step < vnodes && pickedCount < totalWanted; step++) {
            int node = ring.ownerIndex((startVnode + step) % vnodes);
            if (seen[node]) {
                continue;
            }
            seen[node] = true;
            position[node] = step;
            int g = groupOfDc[topo.dataCenterOf[node]];
            if (g < 0 || pickedInGroup[g] == want[g]) {
                continue;
            }
            if (distinctInGroup[g] < needDistinct[g]) {
                int domain = topo.domainOf[node];
                if (!domainUsed[domain]) {
                    domainUsed[domain] = true;
                    picked[pickedCount++] = node;
                    pickedInGroup[g]++;
                    distinctInGroup[g]++;
                    if (distinctInGroup[g] == needDistinct[g]) {
                        // Racks are exhausted (or enough): the earliest passed-over nodes come next.
                        for (int k = 0; k < skippedCount[g] && pickedInGroup[g] < want[g]; k++) {
                            picked[pickedCount++] = skipped[g][k];
                            pickedInGroup[g]++;
                        }
                    }
                } else if (skippedCount[g] < skipped[g].length) {
                    skipped[g][skippedCount[g]++] = node;
                }
            } else {
                picked[pickedCount++] = node;
                pickedInGroup[g]++;
            }
        }
        int[] result = Arrays.copyOf(picked, pickedCount);
        // Ring order from the vnode: sort by first-seen position.
        Integer[] boxed = Arrays.stream(result).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> Integer.compare(position[a], position[b]));
        for (int i = 0; i < boxed.length; i++) {
            result[i] = boxed[i];
        }
        return result;
    }
}
