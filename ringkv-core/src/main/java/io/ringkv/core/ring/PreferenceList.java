package io.ringkv.core.ring;

import java.util.ArrayList;
import java.util.List;

/**
 * A key's replicas and, for the sloppy quorum, who stands in for them (Dynamo §4.3, §4.6):
 * the replicas are the first distinct nodes clockwise from the key (rack- and data-center-aware
 * per the {@link ReplicationStrategy}); the fallbacks are every other node in the order the
 * same clockwise walk meets them, so a coordinator sends a hinted write to the first healthy
 * ones.
 */
public final class PreferenceList {
    private final Ring ring;
    private final int startVnode;
    private final int[] replicaIndexes;

    PreferenceList(Ring ring, int startVnode, int[] replicaIndexes) {
        this.ring = ring;
        this.startVnode = startVnode;
        this.replicaIndexes = replicaIndexes;
    }

    /** The replica node ids, in ring order from the key; the first is the primary owner. */
    public List<String> replicas() {
        List<String> out = new ArrayList<>(replicaIndexes.length);
        for (int m : replicaIndexes) {
            out.add(ring.memberAt(m).nodeId());
        }
        return out;
    }

    /** Every node that is not a replica, in ring order from the key. */
    public List<String> fallbacks() {
        return fallbacks(Integer.MAX_VALUE);
    }

    /** The first {@code max} fallbacks; the walk stops as soon as it has them. */
    public List<String> fallbacks(int max) {
        int wanted = Math.min(max, ring.size() - replicaIndexes.length);
        List<String> out = new ArrayList<>(Math.max(0, Math.min(wanted, 64)));
        if (wanted <= 0) {
            return out;
        }
        boolean[] seen = new boolean[ring.size()];
        for (int m : replicaIndexes) {
            seen[m] = true;
        }
        int vnodes = ring.tokenCount();
        for (int step = 0; step < vnodes && out.size() < wanted; step++) {
            int m = ring.ownerIndex((startVnode + step) % vnodes);
            if (!seen[m]) {
                seen[m] = true;
                out.add(ring.memberAt(m).nodeId());
            }
        }
        return out;
    }

    /** The range of the vnode the key falls in; every key in it has this same preference list. */
    public TokenRange range() {
        return ring.rangeAt(startVnode);
    }

    @Override
    public String toString() {
        return "PreferenceList{replicas=" + replicas() + "}";
    }
}
