package io.ringkv.core.ring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures of how a ring divides the key space, in fractions of the ring (ring space, not
 * sampled keys: with MD5 tokens the two agree up to sampling noise).
 */
public final class Ownership {
    private Ownership() {
    }

    /** Each node's primary share of the ring, by node id; the shares sum to 1. */
    public static Map<String, Double> primary(Ring ring) {
        double[] own = new double[ring.size()];
        for (int i = 0; i < ring.tokenCount(); i++) {
            own[ring.ownerIndex(i)] += ring.rangeFraction(i);
        }
        return byNode(ring, own);
    }

    /** Each node's share of the ring counting every range it replicates; the shares sum to N. */
    public static Map<String, Double> replicated(Ring ring, ReplicationStrategy strategy) {
        double[] own = new double[ring.size()];
        for (int i = 0; i < ring.tokenCount(); i++) {
            double f = ring.rangeFraction(i);
            for (int m : ring.replicasOfVnode(i, strategy)) {
                own[m] += f;
            }
        }
        return byNode(ring, own);
    }

    /**
     * The most loaded node's load over the mean load, where a node's load is its share divided
     * by its weight (so a node of weight 2 owning twice the share is exactly at the mean).
     */
    public static double maxOverMean(Ring ring, Map<String, Double> shares) {
        double totalShare = 0;
        double totalWeight = 0;
        double maxLoad = 0;
        for (Member m : ring.members()) {
            double share = shares.getOrDefault(m.nodeId(), 0.0);
            totalShare += share;
            totalWeight += m.weight();
            maxLoad = Math.max(maxLoad, share / m.weight());
        }
        return totalShare == 0 ? 0 : maxLoad / (totalShare / totalWeight);
    }

    /** The fraction of the ring whose primary owner differs between two rings. */
    public static double primaryMoved(Ring before, Ring after) {
        return moved(before, after, null);
    }

    /**
     * The fraction of replica data that has to move: over the ring, the share of replica slots
     * held by a node that did not hold a replica of that point before (normalised by N).
     */
    public static double replicasMoved(Ring before, Ring after, ReplicationStrategy strategy) {
        return moved(before, after, strategy);
    }

    /** Walks the union of both rings' tokens; each piece has one vnode in each ring. */
    private static double moved(Ring a, Ring b, ReplicationStrategy strategy) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty() ? 0 : 1;
        }
        int na = a.tokenCount();
        int nb = b.tokenCount();
        // Start right after the smallest token of either ring; pieces end at each token in order.
        int ia = 0;
        int ib = 0;
        long prevHigh;
        long prevLow;
        int lastA = na - 1;
        int lastB = nb - 1;
        if (Ring.compare(a.tokenHigh(lastA), a.tokenLow(lastA), b.tokenHigh(lastB), b.tokenLow(lastB)) >= 0) {
            prevHigh = a.tokenHigh(lastA);
            prevLow = a.tokenLow(lastA);
        } else {
            prevHigh = b.tokenHigh(lastB);
            prevLow = b.tokenLow(lastB);
        }
        double movedShare = 0;
        while (ia < na || ib < nb) {
            // The piece ends at the smaller next token; the vnode owning it is the next token >= end in each ring.
            int c = ia == na ? 1 : ib == nb ? -1
                    : Ring.compare(a.tokenHigh(ia), a.tokenLow(ia), b.tokenHigh(ib), b.tokenLow(ib));
            long endHigh = c <= 0 ? a.tokenHigh(ia) : b.tokenHigh(ib);
            long endLow = c <= 0 ? a.tokenLow(ia) : b.tokenLow(ib);
            int vnodeA = ia == na ? 0 : ia;
            int vnodeB = ib == nb ? 0 : ib;
            // Equal bounds happen only for the first piece of two one-token rings: the whole ring.
            double piece = RingMath.fraction(prevHigh, prevLow, endHigh, endLow);
            movedShare += piece * changed(a, vnodeA, b, vnodeB, strategy);
            prevHigh = endHigh;
            prevLow = endLow;
            if (c <= 0) {
                ia++;
            }
            if (c >= 0) {
                ib++;
            }
        }
        return movedShare;
    }

    /** 1 or 0 for primaries; for replica sets, the fraction of the new set that is new. */
    private static double changed(Ring a, int vnodeA, Ring b, int vnodeB, ReplicationStrategy strategy) {
        if (strategy == null) {
            return a.ownerAt(vnodeA).equals(b.ownerAt(vnodeB)) ? 0 : 1;
        }
        int[] before = a.replicasOfVnode(vnodeA, strategy);
        int[] after = b.replicasOfVnode(vnodeB, strategy);
        int fresh = 0;
        for (int m : after) {
            String id = b.memberAt(m).nodeId();
            boolean held = false;
            for (int x : before) {
                held |= a.memberAt(x).nodeId().equals(id);
            }
            fresh += held ? 0 : 1;
        }
        return after.length == 0 ? 0 : (double) fresh / after.length;
    }

    private static Map<String, Double> byNode(Ring ring, double[] own) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int m = 0; m < own.length; m++) {
            out.put(ring.memberAt(m).nodeId(), own[m]);
        }
        return out;
    }
}
